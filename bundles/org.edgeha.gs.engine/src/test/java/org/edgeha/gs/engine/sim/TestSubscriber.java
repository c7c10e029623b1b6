package org.edgeha.gs.engine.sim;

import java.util.ArrayList;
import java.util.List;

import org.edgeha.gs.api.SubscriptionCallback;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.SubscriberToken;

/** Records a subscription's notifications. */
public final class TestSubscriber implements SubscriptionCallback {

    public final String name;
    public SubscriberToken token;
    /** Ended by a delayed error. */
    public volatile boolean failed;
    public final List<SubscriptionNotification> received = new ArrayList<>();
    /** The incarnation of the subscriber's gateway at each notification. */
    public final List<Long> incarnations = new ArrayList<>();
    private final java.util.function.LongSupplier incarnation;

    public TestSubscriber(String name) {
        this(name, () -> 1);
    }

    public TestSubscriber(String name, java.util.function.LongSupplier incarnation) {
        this.name = name;
        this.incarnation = incarnation;
    }

    @Override
    public synchronized void subscription(SubscriptionNotification n) {
        received.add(n);
        incarnations.add(incarnation.getAsLong());
    }

    public synchronized SubscriptionNotification last() {
        return received.isEmpty() ? null : received.get(received.size() - 1);
    }
}
