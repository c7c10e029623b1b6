package org.edgeha.gs.api;

/** GSAPI {@code gs_subscription_control}: what a subscriber is notified about. Combine freely. */
public enum SubscriptionFlag {
    /** Approved state value changes. */
    STATE,
    /** Approved membership changes, with the full membership list. */
    MEMBERSHIP,
    /** Approved joins, with the joining providers. */
    DELTA_JOINS,
    /** Approved leaves of any kind, with the leaving providers. */
    DELTA_LEAVES
}
