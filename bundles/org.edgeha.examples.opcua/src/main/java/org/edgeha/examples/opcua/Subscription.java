package org.edgeha.examples.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscriptionManager;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * One subscription of an {@link OpcUaSession} to one variable: what is needed to make it again on a new session
 * (the node, the publishing interval, the consumer), and where it lives now. Thread-safe: making it is serialised.
 */
public final class Subscription {

    private static final AtomicInteger CLIENT_HANDLES = new AtomicInteger();

    private final NodeId node;
    private final Duration publishingInterval;
    private final Consumer<DataValue> consumer;

    /** The client it lives on and Milo's subscription there; null when it must be made (again). */
    private OpcUaClient client;
    private UaSubscription live;
    private int made;

    Subscription(final NodeId node, final Duration publishingInterval, final Consumer<DataValue> consumer) {
        this.node = node;
        this.publishingInterval = publishingInterval;
        this.consumer = consumer;
    }

    /** @return the variable */
    public NodeId node() {
        return node;
    }

    /** @return how many times it was made: 1 for the first session, one more for every new session */
    public synchronized int timesMade() {
        return made;
    }

    /**
     * Makes the subscription on this client unless it already lives there. Blocks for up to two requests.
     *
     * @throws UaException the request failed, or the server refused the monitored item (its status)
     */
    synchronized void ensureOn(final OpcUaClient target, final Duration requestTimeout) throws UaException {
        if (client == target && live != null) {
            return;
        }
        UaSubscriptionManager manager = target.getSubscriptionManager();
        UaSubscription subscription = OpcUaSessionType.await(
                manager.createSubscription((double) publishingInterval.toMillis()), requestTimeout,
                "creating a subscription for " + node);
        MonitoringParameters parameters = new MonitoringParameters(uint(CLIENT_HANDLES.incrementAndGet()),
                (double) publishingInterval.toMillis(), null, uint(10), true);
        MonitoredItemCreateRequest request = new MonitoredItemCreateRequest(
                new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                MonitoringMode.Reporting, parameters);
        List<UaMonitoredItem> items = OpcUaSessionType.await(
                subscription.createMonitoredItems(TimestampsToReturn.Both, List.of(request),
                        (item, index) -> item.setValueConsumer(consumer)),
                requestTimeout, "monitoring " + node);
        StatusCode status = items.get(0).getStatusCode();
        if (status.isBad()) {
            manager.deleteSubscription(subscription.getSubscriptionId()); // answered or not: nothing to wait for
            throw new UaException(status, "the server refused to monitor " + node + ": " + status);
        }
        manager.addSubscriptionListener(new UaSubscriptionManager.SubscriptionListener() {
            @Override
            public void onSubscriptionTransferFailed(final UaSubscription lost, final StatusCode why) {
                forget(lost); // Milo re-created its session itself but the server no longer has this subscription
            }
        });
        client = target;
        live = subscription;
        made++;
    }

    private synchronized void forget(final UaSubscription lost) {
        if (lost == live) {
            live = null;
        }
    }
}
