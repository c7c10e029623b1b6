package org.edgeha.gs.api;

/**
 * GSAPI {@code gs_summary_code}: conditions a notification reports. A notification carries a set
 * of them (empty when nothing abnormal happened).
 */
public enum SummaryCode {
    /** A phase closed because its time limit passed; late providers got the default vote. */
    TIME_LIMIT_EXCEEDED,
    /** A provider failed during this protocol and was given the default vote. */
    PROVIDER_FAILED,
    /** A client missed a responsiveness ping (announcement only; nobody is removed). */
    RESPONSIVENESS_NO_RESPONSE,
    /** A client that had missed pings answers again. */
    RESPONSIVENESS_RESPONDED,
    /** An expel target's deactivate action failed or missed the time limit. */
    DEACTIVATE_UNSUCCESSFUL,
    /** The group's coordinator was lost mid-protocol; its successor rejected the unfinished protocol. */
    COORDINATOR_LOST,
    /**
     * This gateway was declared failed by its peers while it was unreachable; the provider is no longer
     * a member and must join again.
     */
    MEMBERSHIP_LOST,
    /**
     * This gateway missed more protocols than any catch-up log still held and restarted the group from
     * a snapshot: the provider skipped protocols; the announcement follows the snapshot.
     */
    RESYNCHRONIZED
}
