package org.edgeha.recovery.strategy.failover.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.edgeha.recovery.strategy.failover.internal.FailoverRecovery.Result;
import org.edgeha.recovery.strategy.support.AttemptLoop.Outcome;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Reconnector;
import org.edgeha.recovery.strategy.support.testing.VirtualTiming;
import org.junit.After;
import org.junit.Test;

/** The failover loop on virtual time, against a scripted set of endpoints that are up. */
public class FailoverRecoveryTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final List<String> ABC = List.of("a:1", "b:2", "c:3");

    private final VirtualTiming timing = new VirtualTiming();
    private final Set<String> up = ConcurrentHashMap.newKeySet();
    private final List<String> tried = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> timeouts = new ArrayList<>();

    @After
    public void clearInterrupt() {
        Thread.interrupted();
    }

    /** Connects when the endpoint is up; a refused attempt costs 1 ms of virtual time. */
    private final Reconnector scripted = (coid, endpoint, timeout) -> {
        tried.add(endpoint);
        timeouts.add(timeout);
        if (up.contains(endpoint)) {
            return coid;
        }
        timing.advance(MS);
        throw new ConnectException("Connection refused: " + endpoint);
    };

    private FailoverRecovery recovery(final FailoverSettings settings, final double jitter, final Reconnector r) {
        return new FailoverRecovery(settings, new JitteredBackoff(settings.roundDelayMillis(),
                settings.roundDelayMaxMillis(), FailoverSettings.MULTIPLIER, () -> jitter), r, timing);
    }

    private FailoverRecovery recovery(final Reconnector r) {
        return recovery(new FailoverSettings(ABC, 1000, 10, 100, 60_000, -1), 0.5, r);
    }

    @Test
    public void withNothingKnownItGoesThroughTheListInOrder() throws Exception {
        up.add("c:3");
        FailoverRecovery recovery = recovery(scripted);
        Result result = recovery.recover(1, null);

        assertTrue(result.recovered());
        assertEquals("c:3", result.endpoint());
        assertEquals(List.of("a:1", "b:2", "c:3"), tried);
        assertEquals(OptionalInt.of(2), recovery.lastGood(1));
        assertEquals(List.of("a:1", "b:2"), List.copyOf(result.failures().keySet()));
    }

    @Test
    public void sticksToTheLastGoodEndpointThenFallsBackInPreferenceOrder() throws Exception {
        FailoverRecovery recovery = recovery(scripted);
        up.addAll(List.of("b:2"));
        assertEquals("b:2", recovery.recover(1, "a:1").endpoint());
        assertEquals(OptionalInt.of(1), recovery.lastGood(1));

        // All up again: the connection stays where it works, b, rather than going back to a.
        up.addAll(ABC);
        tried.clear();
        assertEquals("b:2", recovery.recover(1, "b:2").endpoint());
        assertEquals(List.of("b:2"), tried);

        // b fails: the others in list order, a before c.
        up.remove("b:2");
        tried.clear();
        assertEquals("a:1", recovery.recover(1, "b:2").endpoint());
        assertEquals(List.of("b:2", "a:1"), tried);

        // Sticky to c: c, then a, then b.
        up.clear();
        up.add("c:3");
        recovery.recover(1, "a:1");
        up.clear();
        up.add("b:2");
        tried.clear();
        assertEquals("b:2", recovery.recover(1, "c:3").endpoint());
        assertEquals(List.of("c:3", "a:1", "b:2"), tried);
    }

    @Test
    public void beforeAnyRecoveryTheCurrentEndpointCountsAsLastGood() throws Exception {
        up.addAll(ABC);
        assertEquals("b:2", recovery(scripted).recover(1, "B:2").endpoint());
        assertEquals(List.of("b:2"), tried);

        tried.clear();
        assertEquals("not in the list: start at the top", "a:1", recovery(scripted).recover(2, "z:9").endpoint());
        assertEquals(List.of("a:1"), tried);
    }

    @Test
    public void stickinessIsPerConnection() throws Exception {
        FailoverRecovery recovery = recovery(scripted);
        up.add("c:3");
        recovery.recover(1, null);
        up.clear();
        up.add("a:1");
        recovery.recover(2, null);
        assertEquals(OptionalInt.of(2), recovery.lastGood(1));
        assertEquals(OptionalInt.of(0), recovery.lastGood(2));
        assertEquals(OptionalInt.empty(), recovery.lastGood(3));

        recovery.retainOnly(coid -> coid == 2);
        assertEquals(OptionalInt.empty(), recovery.lastGood(1));
        assertEquals(OptionalInt.of(0), recovery.lastGood(2));
    }

    @Test
    public void roundsAreSeparatedByAGrowingJitteredWait() throws Exception {
        FailoverSettings settings = new FailoverSettings(ABC, 1000, 10, 100, 60_000, 12);
        Result result = recovery(settings, Math.nextDown(1.0), scripted).recover(1, null);

        assertEquals(Outcome.ATTEMPTS_USED_UP, result.outcome());
        assertEquals(12, result.attempts());
        assertEquals(4, result.rounds());
        assertEquals(List.of("a:1", "b:2", "c:3", "a:1", "b:2", "c:3", "a:1", "b:2", "c:3", "a:1", "b:2", "c:3"), tried);
        assertEquals("no wait within a round, one between rounds",
                List.of(10 * MS, 20 * MS, 40 * MS), timing.sleeps);
    }

    @Test
    public void budgetStopsRecoveryAndLimitsTheLastConnectTimeout() throws Exception {
        // Hosts that do not answer: every attempt blocks for its whole timeout.
        Reconnector silent = (coid, endpoint, timeout) -> {
            tried.add(endpoint);
            timeouts.add(timeout);
            timing.advance(timeout.toNanos());
            throw new SocketTimeoutException("Connect timed out: " + endpoint);
        };
        FailoverSettings settings = new FailoverSettings(List.of("a:1", "b:2"), 400, 10, 100, 1000, -1);
        Result result = recovery(settings, 0.0, silent).recover(1, null);

        assertEquals(Outcome.BUDGET_USED_UP, result.outcome());
        assertEquals(List.of("a:1", "b:2", "a:1"), tried);
        assertEquals(List.of(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(200)), timeouts);
        assertEquals(1000 * MS, result.elapsedNanos());
        assertTrue(result.failures().get("a:1") instanceof SocketTimeoutException);
    }

    @Test
    public void interruptedBeforehandMakesNoAttempt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            recovery(scripted).recover(1, null);
            fail("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertTrue(tried.isEmpty());
        }
    }

    @Test
    public void interruptedConnectEndsRecoveryAndCarriesTheCause() throws Exception {
        ClosedByInterruptException closed = new ClosedByInterruptException();
        Reconnector interrupted = (coid, endpoint, timeout) -> {
            tried.add(endpoint);
            throw closed;
        };
        try {
            recovery(interrupted).recover(1, null);
            fail("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertSame(closed, expected.getCause());
            assertEquals("no failover to the next endpoint once interrupted", List.of("a:1"), tried);
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    public void concurrentRecoveriesOfDifferentConnectionsKeepTheirOwnLastGood() throws Exception {
        // Even connections reach only a, odd ones only c, on real threads and one shared instance.
        Reconnector byParity = (coid, endpoint, timeout) -> {
            String reachable = coid % 2 == 0 ? "a:1" : "c:3";
            if (endpoint.equals(reachable)) {
                return coid;
            }
            throw new ConnectException("Connection refused: " + endpoint);
        };
        FailoverRecovery recovery = new FailoverRecovery(new FailoverSettings(ABC, 1000, 10, 100, 60_000, -1),
                byParity);
        int connections = 16;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            for (int round = 0; round < 50; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Result>> results = new ArrayList<>();
                for (int coid = 0; coid < connections; coid++) {
                    int id = coid;
                    results.add(pool.submit(() -> {
                        go.await();
                        return recovery.recover(id, "b:2");
                    }));
                }
                go.countDown();
                for (int coid = 0; coid < connections; coid++) {
                    Result result = results.get(coid).get(5, TimeUnit.SECONDS);
                    String expected = coid % 2 == 0 ? "a:1" : "c:3";
                    assertEquals(expected, result.endpoint());
                    // From the second round on, the sticky endpoint is right at the first attempt.
                    assertEquals(round == 0 ? (coid % 2 == 0 ? 2 : 3) : 1, result.attempts());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
