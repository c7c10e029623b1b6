package org.edgeha.gs.engine.core;

/**
 * Tuning of one engine.
 *
 * @param nodeNumber this gateway's node number
 * @param commitLogSize protocols kept per group for catching up gateways that missed some; a gateway
 *     that missed more starts again from a snapshot (its providers get an announcement)
 * @param ackDelayMillis how long a receiver may hold back a standalone acknowledgement
 * @param ackEvery acknowledge at once after this many unacknowledged messages from one peer
 * @param probeMillis how long messages may stay unacknowledged before the sender asks the peer what
 *     it is missing (a message lost without any disconnection, e.g. by a broker's full queue)
 */
public record EngineConfig(int nodeNumber, int commitLogSize, long ackDelayMillis, int ackEvery, long probeMillis) {

    public EngineConfig {
        if (nodeNumber <= 0 || commitLogSize < 1 || ackDelayMillis < 0 || ackEvery < 1 || probeMillis < 1) {
            throw new IllegalArgumentException("invalid engine configuration");
        }
    }

    public static EngineConfig forNode(int nodeNumber) {
        return new EngineConfig(nodeNumber, 256, 20, 16, 1_000);
    }
}
