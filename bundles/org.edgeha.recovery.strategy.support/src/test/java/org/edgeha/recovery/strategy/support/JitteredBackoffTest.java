package org.edgeha.recovery.strategy.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class JitteredBackoffTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    public void ceilingGrowsExponentiallyToTheCapAndStays() {
        JitteredBackoff backoff = new JitteredBackoff(10, 100, 2.0);
        long[] expected = {10, 20, 40, 80, 100, 100, 100};
        for (int n = 0; n < expected.length; n++) {
            assertEquals("ceiling after failure " + n, expected[n] * MS, backoff.ceilingNanos(n));
        }
        // Far past the long range of initial * multiplier^n: still the cap, no overflow.
        assertEquals(100 * MS, backoff.ceilingNanos(10_000));
        assertEquals(100 * MS, backoff.ceilingNanos(Integer.MAX_VALUE));
    }

    @Test
    public void delaysStayWithinZeroAndTheCeiling() {
        JitteredBackoff backoff = new JitteredBackoff(10, 100, 2.0);
        for (int n = 0; n < 12; n++) {
            long ceiling = backoff.ceilingNanos(n);
            for (int i = 0; i < 2_000; i++) {
                long delay = backoff.delayNanos(n);
                assertTrue("delay " + delay + " after failure " + n, delay >= 0 && delay <= ceiling);
            }
        }
    }

    @Test
    public void jitterIsFullAndReachesBothEnds() {
        assertEquals(0, new JitteredBackoff(10, 100, 2.0, () -> 0.0).delayNanos(5));
        JitteredBackoff top = new JitteredBackoff(10, 100, 2.0, () -> Math.nextDown(1.0));
        long[] expected = {10, 20, 40, 80, 100, 100};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(expected[n] * MS, top.delayNanos(n));
        }
        assertEquals(50 * MS, new JitteredBackoff(10, 100, 2.0, () -> 0.5).delayNanos(4), MS / 1000);
    }

    @Test
    public void realRandomDelaysSpreadOverTheWholeWindow() {
        // Full jitter: once capped, the mean wait is cap / 2 and both tenths of the window are used.
        JitteredBackoff backoff = new JitteredBackoff(10, 100, 2.0);
        int samples = 20_000;
        long sum = 0;
        int low = 0;
        int high = 0;
        for (int i = 0; i < samples; i++) {
            long delay = backoff.delayNanos(8);
            sum += delay;
            low += delay < 10 * MS ? 1 : 0;
            high += delay > 90 * MS ? 1 : 0;
        }
        double meanMillis = sum / (double) samples / MS;
        assertEquals(50.0, meanMillis, 2.5);
        assertTrue("low tenth used " + low, low > samples / 20);
        assertTrue("high tenth used " + high, high > samples / 20);
    }

    @Test
    public void multiplierOneKeepsTheInitialCeiling() {
        JitteredBackoff backoff = new JitteredBackoff(30, 100, 1.0);
        assertEquals(30 * MS, backoff.ceilingNanos(0));
        assertEquals(30 * MS, backoff.ceilingNanos(50));
    }

    /** Found by StrategySettingsFuzzTest: with a ceiling of Long.MAX_VALUE ns, ceiling + 1 wrapped to a negative delay. */
    @Test
    public void delayStaysInRangeAtTheLargestCeiling() {
        JitteredBackoff b = new JitteredBackoff(Long.MAX_VALUE / 2, Long.MAX_VALUE, 2.0, () -> Math.nextDown(1.0));
        assertEquals(Long.MAX_VALUE, b.ceilingNanos(40));
        long delay = b.delayNanos(40);
        assertTrue("delay " + delay, delay > 0 && delay <= Long.MAX_VALUE);
    }
}
