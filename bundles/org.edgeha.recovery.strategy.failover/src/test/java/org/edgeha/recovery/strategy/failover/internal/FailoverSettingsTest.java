package org.edgeha.recovery.strategy.failover.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class FailoverSettingsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    public void goodValuesAreKeptWithoutWarning() {
        FailoverSettings s = FailoverSettings.sanitize(new String[] {"a:1", "b:2"}, 300, 20, 400, 5000, 6,
                warnings::add);
        assertEquals(new FailoverSettings(List.of("a:1", "b:2"), 300, 20, 400, 5000, 6), s);
        assertTrue(warnings.toString(), warnings.isEmpty());
    }

    @Test
    public void nonPositiveNumbersFallBackToDefaultsWithOneWarningEach() {
        FailoverSettings s = FailoverSettings.sanitize(new String[] {"a:1"}, 0, -1, 0, -5, 0, warnings::add);
        assertEquals(new FailoverSettings(List.of("a:1"), 1000, 10, 100, FailoverSettings.BUDGET_MS, -1), s);
        assertEquals(warnings.toString(), 5, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("connect.timeout.ms=0 must be positive; using 1000"));
    }

    @Test
    public void maxRoundDelayBelowRoundDelayIsRaised() {
        FailoverSettings s = FailoverSettings.sanitize(new String[] {"a:1"}, 1000, 50, 20, 60_000, -1, warnings::add);
        assertEquals(50, s.roundDelayMaxMillis());
        assertEquals(List.of("round.delay.max.ms=20 is below round.delay.ms=50; using 50"), warnings);
    }

    @Test
    public void badEndpointsAreRefusedNotSanitized() {
        try {
            FailoverSettings.sanitize(new String[] {"plc-a"}, 1000, 10, 100, 60_000, -1, warnings::add);
            fail("accepted an endpoint without port");
        } catch (IllegalArgumentException e) {
            assertEquals("endpoints: 'plc-a' has no port (expected host:port)", e.getMessage());
        }
    }
}
