package org.edgeha.recovery.strategy.failover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.edgeha.recovery.strategy.support.JitteredBackoff;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The recovery strategies' settings ({@code .cfg} values, any of them): the failover endpoint list parses to
 * normalized {@code host:port} entries or throws {@link IllegalArgumentException} naming the bad ones; the numbers
 * are sanitized, never refused; and the jittered backoff both strategies build from them waits between 0 and a
 * ceiling that grows with the attempt and stops at the configured maximum, for any attempt number and any random
 * draw.
 */
class StrategySettingsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void sanitize(FuzzedDataProvider data) {
        String[] endpoints = new String[data.consumeInt(0, 3)];
        for (int i = 0; i < endpoints.length; i++) {
            endpoints[i] = data.consumeBoolean() ? data.consumeString(30)
                    : data.consumeAsciiString(12) + ":" + data.consumeInt(-2, 70_000);
        }
        long connect = data.consumeLong();
        long delay = data.consumeBoolean() ? data.consumeLong(-5, 100) : data.consumeLong();
        long max = data.consumeBoolean() ? data.consumeLong(-5, 1_000) : data.consumeLong();
        long budget = data.consumeLong();
        int attempts = data.consumeInt();
        List<String> warnings = new ArrayList<>();
        FailoverSettings s;
        try {
            s = FailoverSettings.sanitize(endpoints, connect, delay, max, budget, attempts, warnings::add);
        } catch (IllegalArgumentException refused) {
            assertFalse(refused.getMessage().isEmpty());
            s = FailoverSettings.sanitize(new String[] {"localhost:1"}, connect, delay, max, budget, attempts,
                    warnings::add);
        }
        for (String e : s.endpoints()) {
            int colon = e.lastIndexOf(':');
            int port = Integer.parseInt(e.substring(colon + 1));
            assertTrue(colon > 0 && port >= 1 && port <= 65535, e);
            assertEquals(e, Endpoints.normalize(e), "normalizing is idempotent");
            assertEquals(e.toLowerCase(Locale.ROOT), e);
        }
        assertTrue(s.connectTimeoutMillis() > 0 && s.roundDelayMillis() > 0 && s.budgetMillis() > 0);
        assertTrue(s.roundDelayMaxMillis() >= s.roundDelayMillis());
        assertTrue(s.maxAttempts() != 0);

        double multiplier = data.consumeBoolean() ? 2.0 : data.consumeRegularDouble(1.0, 1e6);
        JitteredBackoff[] backoffs = {s.backoff(),
            new JitteredBackoff(s.roundDelayMillis(), s.roundDelayMaxMillis(), multiplier, () -> 0.0),
            new JitteredBackoff(s.roundDelayMillis(), s.roundDelayMaxMillis(), multiplier, () -> Math.nextDown(1.0))};
        int n = (int) within(data.consumeInt(0, Integer.MAX_VALUE), 0, Integer.MAX_VALUE); // attempts count from 0
        for (JitteredBackoff b : backoffs) {
            long ceiling = b.ceilingNanos(n);
            long delayNanos = b.delayNanos(n);
            assertTrue(ceiling >= 0 && ceiling <= b.ceilingNanos(Integer.MAX_VALUE), "ceiling " + ceiling);
            assertTrue(n == 0 || b.ceilingNanos(n - 1) <= ceiling, "ceiling shrinks at attempt " + n);
            assertTrue(delayNanos >= 0 && delayNanos <= ceiling, "delay " + delayNanos + " outside [0, " + ceiling + "]");
        }
    }

    /** Jazzer 0.24.0's ranged consume methods can leave wide ranges (seen: consumeInt(0, MAX) gave MIN); fold back in. */
    private static long within(long v, long min, long max) {
        return v >= min && v <= max ? v : min + (v & Long.MAX_VALUE) % (max - min);
    }
}
