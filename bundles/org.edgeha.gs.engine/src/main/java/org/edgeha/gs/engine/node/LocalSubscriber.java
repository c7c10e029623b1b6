package org.edgeha.gs.engine.node;

import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriberToken;
import org.edgeha.gs.engine.wire.RequestId;

/** One subscription of a local client. Guarded by the engine lock. */
final class LocalSubscriber {

    enum Status { PENDING, ACTIVE, CLOSED }

    final SubscriberToken token;
    final ClientSession client;
    final SubscribeRequest request;
    Status status = Status.PENDING;
    RequestId pending;
    /** Read on callback threads: after unsubscribe nothing more is delivered. */
    volatile boolean closed;
    /** The last view delivered, {@code null} before the initial notification. */
    org.edgeha.gs.engine.wire.ViewRec lastDelivered;

    LocalSubscriber(SubscriberToken token, ClientSession client, SubscribeRequest request) {
        this.token = token;
        this.client = client;
        this.request = request;
    }

    String group() {
        return request.group();
    }
}
