package org.edgeha.gs.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An approved change of a watched group (GSAPI {@code ha_gs_subscription_notification_t}). Subscribers
 * see only approved changes that match their flags; the first notification ({@link SubscriptionEvent#INITIAL})
 * carries the current state and membership. After a notification with {@link SubscriptionEvent#DISSOLVED}
 * (exactly one, when the last provider leaves) the subscription has ended.
 *
 * @param token the subscription this is for
 * @param group the group
 * @param seq the sequence number of the approved protocol (of the group's last protocol for
 *     {@link SubscriptionEvent#INITIAL}; for a {@link SubscriptionEvent#DISSOLVED} that happened while
 *     this gateway was cut off from its peers, the last one this subscription saw)
 * @param events what changed, restricted to the subscription's flags (plus INITIAL and DISSOLVED)
 * @param state the state value after the change
 * @param fullMembership the membership after the change, in {@link ProviderId} order
 * @param joined providers that joined in this change
 * @param left providers that left in this change
 */
public record SubscriptionNotification(SubscriberToken token, String group, long seq, Set<SubscriptionEvent> events,
        StateValue state, List<ProviderId> fullMembership, List<ProviderId> joined, List<ProviderId> left)
        implements Notification {

    /** Checks for {@code null} and copies the collections. */
    public SubscriptionNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        events = Summary.copyEvents(events);
        Objects.requireNonNull(state, "state");
        fullMembership = List.copyOf(fullMembership);
        joined = List.copyOf(joined);
        left = List.copyOf(left);
    }

    @Override
    public NotificationType type() {
        return NotificationType.SUBSCRIPTION;
    }
}
