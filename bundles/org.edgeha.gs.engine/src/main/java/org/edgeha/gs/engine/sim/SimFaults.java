package org.edgeha.gs.engine.sim;

/**
 * How unkind the simulated network is.
 *
 * @param minDelayMillis shortest message delay
 * @param maxDelayMillis longest message delay (delays are uniform in between; order is kept per
 *     publisher and topic, as MQTT keeps it, and nowhere else)
 * @param duplicateRate chance that a message is delivered a second time, later (QoS 1 redelivery)
 * @param presenceDelayMillis longest delay before a node hears of a presence change
 * @param willDelayMillis how long a disconnected node stays "up" for its peers (MQTT will delay); a
 *     node that reconnects later comes back with a new incarnation
 * @param crashDetectMillis how long before a crashed node is reported down (keepalive × 1.5)
 */
public record SimFaults(long minDelayMillis, long maxDelayMillis, double duplicateRate, long presenceDelayMillis,
        long willDelayMillis, long crashDetectMillis) {

    /** Instant, perfect delivery: a single gateway's in-memory network, or benchmarks. */
    public static final SimFaults NONE = new SimFaults(0, 0, 0, 0, 5_000, 0);

    /** A broker on a LAN: a few milliseconds, some duplicates. */
    public static final SimFaults LAN = new SimFaults(1, 8, 0.05, 10, 5_000, 1_500);

    public SimFaults {
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis || duplicateRate < 0 || duplicateRate > 1
                || presenceDelayMillis < 0 || willDelayMillis < 0 || crashDetectMillis < 0) {
            throw new IllegalArgumentException("invalid faults " + this);
        }
    }
}
