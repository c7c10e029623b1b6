package org.edgeha.gs.api;

/**
 * GSAPI {@code gs_batch_control}: whether waiting system changes are merged into one protocol.
 * Failures from one event (one gateway's failure) are always removed together; batching merges
 * different events, and several waiting joins.
 */
public enum BatchControl {
    /** One join, or one failure event, per protocol. */
    NO_BATCHING,
    /** All waiting joins in one protocol. */
    BATCH_JOINS,
    /** All waiting failures in one failure-leave protocol (the default). */
    BATCH_LEAVES,
    /** Both of the above (joins and failures still run as separate protocols). */
    BATCH_BOTH;

    /** @return whether waiting joins are merged */
    public boolean batchesJoins() {
        return this == BATCH_JOINS || this == BATCH_BOTH;
    }

    /** @return whether waiting failure events are merged */
    public boolean batchesLeaves() {
        return this == BATCH_LEAVES || this == BATCH_BOTH;
    }
}
