package org.edgeha.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Presence status messages (retained, from every gateway of the domain). The last input byte picks the check:
 * <ul>
 * <li>even: the rest is a status payload. {@link Presence#parse} returns a status or empty (counted as rejected),
 * never throws, and what it accepts (any JSON layout) reads the same once written again by {@link Presence#format}.</li>
 * <li>odd: the status of any valid node number (1 to {@code Integer.MAX_VALUE}) and incarnation (positive) is
 * parsed back to itself.</li>
 * </ul>
 */
class PresenceFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            int node = (int) within(data.consumeInt(1, Integer.MAX_VALUE), 1, Integer.MAX_VALUE);
            long incarnation = within(data.consumeLong(1, Long.MAX_VALUE), 1, Long.MAX_VALUE);
            boolean online = data.consumeBoolean();
            Optional<Presence.Status> s = Presence.parse(Presence.format(node, incarnation, online ? "online" : "offline"));
            assertEquals(Optional.of(new Presence.Status(node, incarnation, online)), s);
            return;
        }
        byte[] payload = data.consumeRemainingAsBytes();
        Optional<Presence.Status> s = Presence.parse(payload);
        if (s.isPresent()) {
            Presence.Status st = s.get();
            assertTrue(st.node() > 0 && st.incarnation() > 0);
            // any layout is accepted now (docs/mqtt-api.md): what it says must survive being written again
            assertEquals(s, Presence.parse(Presence.format(st.node(), st.incarnation(), st.online() ? "online" : "offline")));
        }
    }

    /** Jazzer 0.24.0's ranged consume methods can leave wide ranges (seen in regression mode); fold back in. */
    private static long within(long v, long min, long max) {
        return v >= min && v <= max ? v : min + (v & Long.MAX_VALUE) % (max - min);
    }
}
