package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider's callbacks, given at {@link GsClient#join} (GSAPI n_phase, protocol_approved,
 * protocol_rejected, announcement and merge callbacks).
 *
 * <p>Called one at a time per client, in protocol order, on an engine thread or inside
 * {@link GsClient#dispatch}; never on a transport thread. A callback may call the client (for example
 * {@link GsClient#vote}); it should return promptly, since the client's other callbacks and its
 * responsiveness pings wait behind it. An exception thrown by a callback is logged and otherwise
 * ignored.
 */
@ConsumerType
public interface ProviderCallbacks {

    /**
     * A phase of an n-phase protocol starts; vote with {@link GsClient#vote} within its time limit.
     *
     * @param notification the phase, with the proposal
     */
    void nPhase(NPhaseNotification notification);

    /**
     * A protocol this provider took part in was approved (every one-phase protocol, and n-phase
     * protocols approved by vote).
     *
     * @param notification the result
     */
    void approved(ApprovedNotification notification);

    /**
     * An n-phase protocol this provider took part in was rejected.
     *
     * @param notification what was rejected, and why
     */
    void rejected(RejectedNotification notification);

    /**
     * An abnormal condition was announced in the group. The default does nothing.
     *
     * @param notification what happened, and to whom
     */
    default void announcement(AnnouncementNotification notification) {
    }

    /**
     * Partitions of the group merged (reserved, see {@link MergeNotification}). The default does
     * nothing.
     *
     * @param notification the merge
     */
    default void merge(MergeNotification notification) {
    }
}
