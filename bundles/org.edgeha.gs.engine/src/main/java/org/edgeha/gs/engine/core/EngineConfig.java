package org.edgeha.gs.engine.core;

/**
 * Tuning and limits of one engine.
 *
 * @param nodeNumber this gateway's node number
 * @param commitLogSize protocols kept per group for catching up gateways that missed some; a gateway
 *     that missed more starts again from a snapshot (its providers get an announcement)
 * @param ackDelayMillis how long a receiver may hold back a standalone acknowledgement
 * @param ackEvery acknowledge at once after this many unacknowledged messages from one peer
 * @param probeMillis how long messages may stay unacknowledged before the sender asks the peer what
 *     it is missing (a message lost without any disconnection, e.g. by a broker's full queue)
 * @param maxClients most client sessions ({@code init}) open on this gateway at once
 * @param maxGroups most groups this gateway's providers and subscribers are in at once
 * @param maxProvidersPerGroup most providers in one group (members and queued joiners), enforced by the group's
 *     coordinator and, where this gateway sees the group, at once by this gateway
 */
public record EngineConfig(int nodeNumber, int commitLogSize, long ackDelayMillis, int ackEvery, long probeMillis,
        int maxClients, int maxGroups, int maxProvidersPerGroup) {

    /** Default of {@link #maxClients()}. */
    public static final int DEFAULT_MAX_CLIENTS = 256;
    /** Default of {@link #maxGroups()}. */
    public static final int DEFAULT_MAX_GROUPS = 256;
    /** Default of {@link #maxProvidersPerGroup()}. */
    public static final int DEFAULT_MAX_PROVIDERS_PER_GROUP = 1024;

    public EngineConfig {
        if (nodeNumber <= 0 || commitLogSize < 1 || ackDelayMillis < 0 || ackEvery < 1 || probeMillis < 1
                || maxClients < 1 || maxGroups < 1 || maxProvidersPerGroup < 1) {
            throw new IllegalArgumentException("invalid engine configuration");
        }
    }

    /** With the default limits. */
    public EngineConfig(int nodeNumber, int commitLogSize, long ackDelayMillis, int ackEvery, long probeMillis) {
        this(nodeNumber, commitLogSize, ackDelayMillis, ackEvery, probeMillis, DEFAULT_MAX_CLIENTS, DEFAULT_MAX_GROUPS,
                DEFAULT_MAX_PROVIDERS_PER_GROUP);
    }

    public static EngineConfig forNode(int nodeNumber) {
        return new EngineConfig(nodeNumber, 256, 20, 16, 1_000);
    }

    /** The same tuning with other limits. */
    public EngineConfig withLimits(int clients, int groups, int providersPerGroup) {
        return new EngineConfig(nodeNumber, commitLogSize, ackDelayMillis, ackEvery, probeMillis, clients, groups,
                providersPerGroup);
    }
}
