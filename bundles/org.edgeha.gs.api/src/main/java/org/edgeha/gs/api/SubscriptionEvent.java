package org.edgeha.gs.api;

/** GSAPI {@code gs_subscription_type}: what one {@link SubscriptionNotification} reports. */
public enum SubscriptionEvent {
    /** The first notification of a subscription: the group's current state and membership. */
    INITIAL,
    /** The state value changed. */
    STATE,
    /** The membership changed (full list in the notification). */
    MEMBERSHIP,
    /** Providers joined. */
    DELTA_JOIN,
    /** Providers left. */
    DELTA_LEAVE,
    /** The last provider left: the group is gone and the subscription has ended. Sent exactly once. */
    DISSOLVED
}
