package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a subscription's notifications (GSAPI subscriber callback). Also a whiteboard service: an
 * instance registered with {@link GsWhiteboard#GROUP_NAME} (and optionally
 * {@link GsWhiteboard#SUBSCRIPTION_FLAGS}) is subscribed to each named group by the engine, and
 * unsubscribed when it goes away. A whiteboard subscription keeps watching the name: while the group
 * does not exist, and after it dissolves, the engine tries again every few seconds, so the callback
 * sees the group's next life from its {@link SubscriptionEvent#INITIAL} notification.
 *
 * <p>Threads: as {@link ProviderCallbacks}.
 */
@ConsumerType
@FunctionalInterface
public interface SubscriptionCallback {

    /**
     * @param notification an approved change, the initial view, or the group's dissolution
     */
    void subscription(SubscriptionNotification notification);
}
