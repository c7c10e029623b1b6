package org.edgeha.recovery.strategy.backoff.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.recovery.strategy.backoff.internal.BackoffRecovery.Result;
import org.edgeha.recovery.strategy.support.AttemptLoop.Outcome;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Reconnector;
import org.edgeha.recovery.strategy.support.testing.VirtualTiming;
import org.junit.After;
import org.junit.Test;

/** The recovery loop on virtual time: exact waits, budgets and limits without waiting for real. */
public class BackoffRecoveryTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int COID = 7;

    private final VirtualTiming timing = new VirtualTiming();
    private final List<Duration> timeouts = new ArrayList<>();

    @After
    public void clearInterrupt() {
        Thread.interrupted();
    }

    /** Refuses every attempt, each costing {@code costMillis} of virtual time. */
    private Reconnector refusing(final long costMillis) {
        return (coid, endpoint, timeout) -> {
            assertEquals(COID, coid);
            assertNull("the backoff strategy reconnects to the same endpoint", endpoint);
            timeouts.add(timeout);
            timing.advance(costMillis * MS);
            throw new ConnectException("Connection refused");
        };
    }

    private BackoffRecovery recovery(final BackoffSettings settings, final double jitter, final Reconnector r) {
        return new BackoffRecovery(settings,
                new JitteredBackoff(settings.initialDelayMillis(), settings.maxDelayMillis(), settings.multiplier(),
                        () -> jitter),
                r, timing);
    }

    @Test
    public void waitsFollowTheCappedExponentialCeilingAtTopJitter() throws Exception {
        BackoffSettings settings = new BackoffSettings(10, 100, 2, 1000, 60_000, 8);
        Result result = recovery(settings, Math.nextDown(1.0), refusing(1)).recover(COID);

        assertEquals(Outcome.ATTEMPTS_USED_UP, result.outcome());
        assertEquals(8, result.attempts());
        List<Long> expected = new ArrayList<>();
        for (long ms : new long[] {10, 20, 40, 80, 100, 100, 100}) {
            expected.add(ms * MS);
        }
        assertEquals("one wait between each two attempts", expected, timing.sleeps);
    }

    @Test
    public void firstAttemptIsImmediateAndSuccessReturnsAtOnce() throws Exception {
        int[] calls = {0};
        Reconnector thirdWorks = (coid, endpoint, timeout) -> {
            if (++calls[0] < 3) {
                throw new ConnectException("Connection refused");
            }
            return coid;
        };
        Result result = recovery(BackoffSettings.DEFAULTS, 0.5, thirdWorks).recover(COID);

        assertTrue(result.recovered());
        assertEquals(3, result.attempts());
        assertNull(result.lastFailure());
        assertEquals("two waits: 0.5 × 10 ms and 0.5 × 20 ms", List.of(5 * MS, 10 * MS), timing.sleeps);
    }

    @Test
    public void budgetStopsRecoveryWithoutSleepingPastIt() throws Exception {
        BackoffSettings settings = new BackoffSettings(10, 100, 2, 1000, 1000, -1);
        Result result = recovery(settings, Math.nextDown(1.0), refusing(1)).recover(COID);

        assertEquals(Outcome.BUDGET_USED_UP, result.outcome());
        assertTrue("elapsed " + result.elapsedMillis(), result.elapsedNanos() <= 1000 * MS);
        // 1 ms per attempt; waits 10+20+40+80, then 100 each: attempt 13 ends at 963 ms, and a wait of
        // 100 ms would start attempt 14 after the budget, so recovery ends there.
        assertEquals(13, result.attempts());
        assertEquals(963 * MS, result.elapsedNanos());
        assertTrue(result.lastFailure() instanceof ConnectException);
    }

    @Test
    public void attemptLimitStopsRecovery() throws Exception {
        BackoffSettings settings = new BackoffSettings(10, 100, 2, 1000, 60_000, 5);
        Result result = recovery(settings, 0.3, refusing(0)).recover(COID);

        assertEquals(Outcome.ATTEMPTS_USED_UP, result.outcome());
        assertEquals(5, result.attempts());
        assertEquals("no wait after the last attempt", 4, timing.sleeps.size());
    }

    @Test
    public void eachAttemptGetsTheConnectTimeoutButNeverMoreThanTheBudgetLeft() throws Exception {
        // Every attempt blocks for its whole timeout, as a connect to a host that does not answer.
        Reconnector hanging = (coid, endpoint, timeout) -> {
            timeouts.add(timeout);
            timing.advance(timeout.toNanos());
            throw new SocketTimeoutException("Connect timed out");
        };
        BackoffSettings settings = new BackoffSettings(10, 100, 2, 1000, 2500, -1);
        Result result = recovery(settings, 0.0, hanging).recover(COID);

        assertEquals(Outcome.BUDGET_USED_UP, result.outcome());
        assertEquals(List.of(Duration.ofMillis(1000), Duration.ofMillis(1000), Duration.ofMillis(500)), timeouts);
        assertEquals(2500 * MS, result.elapsedNanos());
        assertTrue("a connect timeout is a failed attempt, not an interruption",
                result.lastFailure() instanceof SocketTimeoutException);
    }

    @Test
    public void anotherConnectionIdCountsAsAFailedAttempt() throws Exception {
        BackoffSettings settings = new BackoffSettings(10, 100, 2, 1000, 60_000, 2);
        Result result = recovery(settings, 0.0, (coid, endpoint, timeout) -> coid + 1).recover(COID);

        assertFalse(result.recovered());
        assertEquals(2, result.attempts());
        assertTrue(result.lastFailure().getMessage(), result.lastFailure().getMessage().contains("8, not 7"));
    }

    @Test
    public void interruptedBeforehandMakesNoAttempt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            recovery(BackoffSettings.DEFAULTS, 0.5, refusing(1)).recover(COID);
            fail("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertTrue(timeouts.isEmpty());
        }
    }

    @Test
    public void interruptedConnectEndsRecoveryAndCarriesTheCause() throws Exception {
        ClosedByInterruptException closed = new ClosedByInterruptException();
        Reconnector interrupted = (coid, endpoint, timeout) -> {
            timeouts.add(timeout);
            Thread.currentThread().interrupt(); // what a channel does when its thread is interrupted
            throw closed;
        };
        try {
            recovery(BackoffSettings.DEFAULTS, 0.5, interrupted).recover(COID);
            fail("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertSame(closed, expected.getCause());
            assertEquals(1, timeouts.size());
            assertFalse("the exception carries the interrupt", Thread.currentThread().isInterrupted());
        }
    }
}
