package org.edgeha.gs.mqtt.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Replay protection: per sender node, the newest (incarnation, counter) accepted. A message not newer than
 * that is a replay or a QoS 1 redelivery and is dropped. One sender's messages to one receiver travel on one
 * topic, so MQTT keeps them in order and a genuine message is always newer (also across bridged brokers,
 * which keep order per publisher per topic). Thread-safe.
 */
final class ReplayGuard {

    private record Newest(long incarnation, long counter) {
    }

    private final Map<Integer, Newest> newest = new HashMap<>();

    /** @return whether the message is newer than everything accepted from its sender (and is now the newest) */
    synchronized boolean accept(int node, long incarnation, long counter) {
        Newest n = newest.get(node);
        if (n != null && (incarnation < n.incarnation() || incarnation == n.incarnation() && counter <= n.counter())) {
            return false;
        }
        newest.put(node, new Newest(incarnation, counter));
        return true;
    }
}
