package org.edgeha.gs.api;

/**
 * GSAPI return codes ({@code ha_gs_rc_t}), thrown synchronously in a {@link GsException} or delivered
 * later in a {@link DelayedErrorNotification}. Each constant says how it is delivered.
 */
public enum ReturnCode {
    /** Done or accepted ({@code HA_GS_OK}). Never thrown; used in summaries. */
    OK,
    /** A general failure, e.g. {@link GsClient#dispatch} on a client that does not dispatch. Sync. */
    NOT_OK,
    /** The session was closed by {@link GsClient#quit()} ({@code HA_GS_NO_INIT}). Sync. */
    NO_INIT,
    /**
     * Another protocol runs in the group, or a membership change waits to run. For leave, expel, state
     * change, message and attribute change. Sync or delayed. The request is never queued: resubmit.
     */
    COLLIDE,
    /** Invalid attributes, or a join whose attributes differ from the group's. Sync or delayed. */
    BAD_GROUP_ATTRIBUTES,
    /** The token is not a live provider or subscriber of this client. Sync. */
    BAD_MEMBER_TOKEN,
    /** An invalid argument (name, size, list, time limit). Sync or delayed. */
    BAD_PARAMETER,
    /** Members run an older library that cannot handle the request. Delayed. Reserved: not produced by this version. */
    BACKLEVEL_PROVIDERS,
    /** The (node, instance) pair is already a provider in the group. Delayed (join). */
    DUPLICATE_INSTANCE_NUMBER,
    /** Subscribing to a group that does not exist. Delayed (subscribe). */
    UNKNOWN_GROUP,
    /** The provider is not (yet, or any longer) a member of the group. Sync or delayed. */
    NOT_A_MEMBER,
    /** A vote when no phase waits for this provider's vote. Sync. */
    VOTE_NOT_EXPECTED,
    /** The expel's deactivate phase is not valid for its number of phases. Sync. */
    INVALID_DEACTIVATE_PHASE,
    /**
     * The group's coordinator was lost mid-protocol. Reserved: this version does not deliver it as an
     * error. A protocol cut short by its coordinator's failure ends, for every member and for its
     * proposer, as a rejected protocol with {@link SummaryCode#COORDINATOR_LOST}; requests that had not
     * started are sent again to the new coordinator.
     */
    COORDINATOR_LOST,
    /**
     * This gateway was declared failed by its peers (it stayed unreachable beyond the will delay); the
     * request's provider lost its membership. Delayed.
     */
    MEMBERSHIP_LOST,
    /**
     * A configured capacity limit is reached (the {@code HA_GS_TOO_MANY_GROUPS} family); nothing changed, and the
     * same request may succeed once something has left. Sync for the limits this gateway checks itself: client
     * sessions per gateway ({@link GroupServices#init}), groups per gateway (a {@link GsClient#join} or
     * {@link GsClient#subscribe} to a group this gateway is not in yet), providers per group when this gateway sees
     * the group full. Delayed (join) when the group's coordinator finds the group full. The limits are configuration
     * of the engine (PID {@code org.edgeha.gs.engine}: {@code maxClients}, {@code maxGroups},
     * {@code maxProvidersPerGroup}); the exception's message names the limit and its value. Sizes and names beyond
     * {@link GsLimits} are {@link #BAD_PARAMETER}, not this code.
     *
     * @since 1.1
     */
    LIMIT_REACHED
}
