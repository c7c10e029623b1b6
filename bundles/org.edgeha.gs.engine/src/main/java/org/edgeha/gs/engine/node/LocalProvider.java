package org.edgeha.gs.engine.node;

import java.util.concurrent.CompletableFuture;

import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.RequestId;

/** One provider of a local client, from its join until its membership ends. Guarded by the engine lock. */
final class LocalProvider {

    enum Status { JOINING, MEMBER, GONE }

    final ProviderToken token;
    final ClientSession client;
    final JoinRequest request;
    final ProviderId id;
    final long incarnation;
    Status status = Status.JOINING;
    RequestId joinRequest;
    /** The phase waiting for this provider's vote: sequence number, or -1 for none. */
    long awaitSeq = -1;
    int awaitPhase;
    /** Goodbye, quit or lost membership: no callback runs for it any more (read on callback threads). */
    volatile boolean silenced;
    /** Gone locally, but still listed by the group until a failure-leave removes it. */
    boolean removalPending;
    CompletableFuture<Void> goodbye;

    LocalProvider(ProviderToken token, ClientSession client, JoinRequest request, ProviderId id, long incarnation) {
        this.token = token;
        this.client = client;
        this.request = request;
        this.id = id;
        this.incarnation = incarnation;
    }

    String group() {
        return request.group();
    }

    boolean isLive() {
        return status != Status.GONE;
    }

    /** @return whether this gateway still accounts for it in the group (see the takeover's claim check) */
    boolean isClaimed() {
        return status != Status.GONE || removalPending;
    }

    MemberRec rec() {
        return new MemberRec(id, incarnation, request.localName());
    }
}
