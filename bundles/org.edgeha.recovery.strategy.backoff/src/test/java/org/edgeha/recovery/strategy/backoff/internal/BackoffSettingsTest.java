package org.edgeha.recovery.strategy.backoff.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class BackoffSettingsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    public void goodValuesAreKeptWithoutWarning() {
        BackoffSettings s = BackoffSettings.sanitize(5, 500, 1.5, 200, 3000, 7, warnings::add);
        assertEquals(new BackoffSettings(5, 500, 1.5, 200, 3000, 7), s);
        assertTrue(warnings.toString(), warnings.isEmpty());
    }

    @Test
    public void nonPositiveNumbersFallBackToDefaultsWithOneWarningEach() {
        BackoffSettings s = BackoffSettings.sanitize(0, -5, 0.5, 0, -1, -1, warnings::add);
        assertEquals(BackoffSettings.DEFAULTS, s);
        assertEquals(warnings.toString(), 5, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("initial.delay.ms=0 must be positive; using 10"));
        assertTrue(warnings.get(2), warnings.get(2).startsWith("multiplier=0.5 must be a number >= 1"));
    }

    @Test
    public void maxBelowInitialIsRaisedToInitial() {
        BackoffSettings s = BackoffSettings.sanitize(200, 100, 2, 1000, 60000, -1, warnings::add);
        assertEquals(200, s.maxDelayMillis());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("below initial.delay.ms=200"));
    }

    @Test
    public void notANumberMultiplierAndZeroAttemptsAreReplaced() {
        BackoffSettings s = BackoffSettings.sanitize(10, 100, Double.NaN, 1000, 60000, 0, warnings::add);
        assertEquals(2.0, s.multiplier(), 0.0);
        assertEquals(-1, s.maxAttempts());
        assertEquals(warnings.toString(), 2, warnings.size());
    }
}
