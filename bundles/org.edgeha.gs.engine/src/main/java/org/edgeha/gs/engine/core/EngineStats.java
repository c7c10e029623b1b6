package org.edgeha.gs.engine.core;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the engine rejected or repaired; read by operators and tests. */
public final class EngineStats {

    /** Inputs that could not be decoded. */
    public final AtomicLong malformed = new AtomicLong();
    /** Link messages received twice (QoS 1 redelivery, retransmission) and dropped. */
    public final AtomicLong duplicates = new AtomicLong();
    /** Messages from a dead or superseded incarnation, or for another one, dropped. */
    public final AtomicLong stale = new AtomicLong();
    /** Messages of an epoch other than the one promised, dropped. */
    public final AtomicLong fenced = new AtomicLong();
    /** Link messages sent again after a gap or a reconnection. */
    public final AtomicLong retransmitted = new AtomicLong();
    /**
     * Link messages that arrived ahead of a gap while the peer's held-back messages already filled their limit
     * ({@code ReliableLinks.MAX_EARLY_BYTES}), dropped: the peer sends them again after the gap is filled.
     */
    public final AtomicLong earlyDropped = new AtomicLong();
    /** Groups restarted from a snapshot because the protocols missed were no longer in any log. */
    public final AtomicLong resyncs = new AtomicLong();
    /**
     * Lives of a group ended here because a newer life of the same name was adopted while this gateway
     * held an older one (it was cut off while the older one dissolved); members and subscribers are told.
     */
    public final AtomicLong livesEnded = new AtomicLong();
    /** Views found to disagree with the coordinator's (must stay 0; see the design's safety argument). */
    public final AtomicLong divergences = new AtomicLong();
    /** Internal errors caught at the engine's entry points (must stay 0; each is logged). */
    public final AtomicLong internalErrors = new AtomicLong();
    /** Takeovers this gateway completed as coordinator. */
    public final AtomicLong takeovers = new AtomicLong();
}
