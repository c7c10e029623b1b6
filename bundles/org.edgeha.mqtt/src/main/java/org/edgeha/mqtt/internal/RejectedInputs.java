package org.edgeha.mqtt.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;

/**
 * Inputs rejected by the bridge or by bundles that decode what it delivers: counted per reason, logged at
 * warning level at most once a minute per reason (an attacker must not be able to flood the log), and at
 * debug level every time. Thread-safe.
 */
final class RejectedInputs {

    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_REASONS = 64;
    private static final int MAX_REASON_LENGTH = 40;

    private final String connection;
    private final Logger log;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    RejectedInputs(String connection, Logger log) {
        this.connection = connection;
        this.log = log;
    }

    void reject(String topic, String reason) {
        String key = reason == null || reason.isBlank() ? "unspecified"
                : reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        if (!counts.containsKey(key) && counts.size() >= MAX_REASONS) {
            key = "other";
        }
        long n = counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        total.incrementAndGet();
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        String shownTopic = topic == null ? "?" : topic.length() > 200 ? topic.substring(0, 200) + "..." : topic;
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            lastLogged.put(key, now);
            log.warn("MQTT {}: rejected an input on {}: {} ({} so far with this reason)", connection, shownTopic, key, n);
        } else {
            log.debug("MQTT {}: rejected an input on {}: {}", connection, shownTopic, key);
        }
    }

    long total() {
        return total.get();
    }

    Map<String, Long> byReason() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
