package org.edgeha.gs.api;

/** GSAPI {@code gs_notification_type}: the first field of every notification. */
public enum NotificationType {
    /** {@link NPhaseNotification}. */
    N_PHASE,
    /** {@link ApprovedNotification}. */
    APPROVED,
    /** {@link RejectedNotification}. */
    REJECTED,
    /** {@link AnnouncementNotification}. */
    ANNOUNCEMENT,
    /** {@link MergeNotification}. */
    MERGE,
    /** {@link SubscriptionNotification}. */
    SUBSCRIPTION,
    /** {@link DelayedErrorNotification}. */
    DELAYED_ERROR,
    /** {@link ResponsivenessNotification}. */
    RESPONSIVENESS
}
