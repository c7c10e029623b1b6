package org.edgeha.recovery.strategy.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.strategy.support.testing.VirtualTiming;

import org.junit.Test;

/** The loop itself is tested through each strategy's recovery, on virtual time and on real sockets. */
public class AttemptLoopTest {

    @Test
    public void interruptionIsRecognisedInWrappedFailuresButNotInTimeouts() {
        assertTrue(AttemptLoop.isInterruption(new Exception(new ClosedByInterruptException())));
        assertTrue(AttemptLoop.isInterruption(new java.io.InterruptedIOException()));
        assertFalse(AttemptLoop.isInterruption(new SocketTimeoutException()));
        assertFalse(AttemptLoop.isInterruption(new ConnectException()));
    }

    /** 25 s budget, 10..100 ms backoff, unlimited attempts: the default strategy's limits. */
    private static final AttemptLoop.Limits DEFAULTS = new AttemptLoop.Limits() {
        @Override
        public long connectTimeoutMillis() {
            return 1000;
        }

        @Override
        public long budgetMillis() {
            return 25_000;
        }

        @Override
        public int maxAttempts() {
            return -1;
        }
    };

    private static AttemptLoop.Run runAgainst(Exception failure, AtomicInteger attempts, VirtualTiming timing,
            List<Exception> told) throws InterruptedException {
        AttemptLoop loop = new AttemptLoop("recovery", DEFAULTS, new JitteredBackoff(10, 100, 2.0), (coid, endpoint, t) -> {
            attempts.incrementAndGet();
            timing.advance(1_000_000); // an attempt takes 1 ms
            throw failure;
        }, timing);
        return loop.run(7, Collections.singletonList(null), (endpoint, e) -> told.add(e));
    }

    @Test
    public void aClosedConnectionEndsTheRecoveryAtOnceInsteadOfRetryingForTheWholeBudget() throws Exception {
        // issue 14: a backoff recovery retried a closed coid (EBADF on every attempt) 424 times in its 25 s budget
        for (Exception incurable : List.of(new HaException(HaError.EBADF, 7, "no open connection 7"),
                new HaException(HaError.EINVAL, 7, "connection 7 is not a file"),
                new UnsupportedOperationException("serial connections cannot be reconnected by endpoint"))) {
            AtomicInteger attempts = new AtomicInteger();
            VirtualTiming timing = new VirtualTiming();
            List<Exception> told = new ArrayList<>();
            AttemptLoop.Run run = runAgainst(incurable, attempts, timing, told);
            assertEquals(incurable.toString(), AttemptLoop.Outcome.INCURABLE, run.outcome());
            assertEquals("one attempt, no retry", 1, attempts.get());
            assertEquals("no wait", List.of(), timing.sleeps);
            assertEquals(incurable, run.lastFailure());
            assertEquals("the strategy is told of the failure", List.of(incurable), told);
            assertTrue(run.outcome().describe(DEFAULTS), run.outcome().describe(DEFAULTS).contains("no retry"));
        }
    }

    @Test
    public void aCurableFailureIsStillRetriedUntilTheBudgetIsUsedUp() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        VirtualTiming timing = new VirtualTiming();
        AttemptLoop.Run run = runAgainst(new ConnectException("Connection refused"), attempts, timing, new ArrayList<>());
        assertEquals(AttemptLoop.Outcome.BUDGET_USED_UP, run.outcome());
        assertTrue("retried many times: " + attempts.get(), attempts.get() > 100);
        assertEquals("budget.ms=25000 used up", run.outcome().describe(DEFAULTS));
        assertFalse(AttemptLoop.isIncurable(new ConnectException()));
        assertFalse(AttemptLoop.isIncurable(new HaException(HaError.ENOMEM, 7, "full")));
    }
}
