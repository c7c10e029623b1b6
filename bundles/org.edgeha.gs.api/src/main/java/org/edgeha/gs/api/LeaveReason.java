package org.edgeha.gs.api;

/** Why a provider left the group, per provider, in {@link LeaveInfo}. */
public enum LeaveReason {
    /** An approved {@link GsClient#leave}. */
    LEFT,
    /** An approved {@link GsClient#expel}. */
    EXPELLED,
    /** The provider failed: its bundle went away or its gateway reported it failed. */
    PROVIDER_FAILED,
    /** The provider's gateway failed (its MQTT will, lost keepalive, or a restart). */
    NODE_FAILED,
    /** The provider called {@link GsClient#goodbye} ({@code HA_GS_PROVIDER_SAID_GOODBYE}). */
    PROVIDER_SAID_GOODBYE,
    /** The provider's client called {@link GsClient#quit()}. */
    CLIENT_QUIT
}
