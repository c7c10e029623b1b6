package org.edgeha.recovery.strategy.failover.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeha.recovery.strategy.failover.internal.FailoverRecovery.Result;
import org.edgeha.recovery.strategy.support.AttemptLoop.Outcome;
import org.edgeha.recovery.strategy.support.testing.SilentServer;
import org.edgeha.recovery.strategy.support.testing.SocketReconnector;
import org.edgeha.recovery.strategy.support.testing.TcpServer;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/** Failover against real TCP servers on loopback that go away and come back. */
public class FailoverRecoveryTcpTest {

    private final SocketReconnector sockets = new SocketReconnector();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        scheduler.shutdownNow();
        sockets.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private TcpServer server() throws Exception {
        TcpServer server = new TcpServer();
        closeables.add(server);
        return server;
    }

    private static FailoverSettings settings(final List<String> endpoints, final long connectTimeout,
            final long budget, final int maxAttempts) {
        return new FailoverSettings(endpoints, connectTimeout, 10, 100, budget, maxAttempts);
    }

    private static long millisSince(final long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Test
    public void failsOverToTheBackupAndStaysThereUntilItFails() throws Exception {
        TcpServer primary = server();
        TcpServer backup = server();
        FailoverRecovery recovery = new FailoverRecovery(
                settings(List.of(primary.endpoint(), backup.endpoint()), 1000, 5000, -1), sockets);
        assertEquals(1, recovery.recover(1, null).attempts());
        assertEquals(primary.endpoint(), sockets.connectedTo(1));

        primary.stop();
        Result toBackup = recovery.recover(1, primary.endpoint());
        assertEquals(backup.endpoint(), toBackup.endpoint());
        assertEquals(backup.endpoint(), sockets.connectedTo(1));
        assertTrue(toBackup.failures().get(primary.endpoint()) instanceof ConnectException);

        // The primary is back, but the connection stays on the backup, which works.
        primary.start();
        Result sticky = recovery.recover(1, backup.endpoint());
        assertEquals(backup.endpoint(), sticky.endpoint());
        assertEquals(1, sticky.attempts());

        backup.stop();
        Result back = recovery.recover(1, backup.endpoint());
        assertEquals(primary.endpoint(), back.endpoint());
        assertEquals(2, back.attempts());
        assertEquals(primary.endpoint(), sockets.connectedTo(1));
    }

    @Test
    public void connectTimeoutMovesOnPastAPrimaryThatDoesNotAnswer() throws Exception {
        SilentServer primary = new SilentServer();
        closeables.add(primary);
        Assume.assumeTrue("this kernel answers connects to a full accept queue", primary.silent());
        TcpServer backup = server();
        String silent = "127.0.0.1:" + primary.address().getPort();
        FailoverRecovery recovery = new FailoverRecovery(settings(List.of(silent, backup.endpoint()), 150, 5000, -1),
                sockets);

        long start = System.nanoTime();
        Result result = recovery.recover(1, null);
        long elapsed = millisSince(start);

        assertEquals(backup.endpoint(), result.endpoint());
        assertTrue(String.valueOf(result.failures()), result.failures().get(silent) instanceof SocketTimeoutException);
        assertTrue("failed over after " + elapsed + " ms", elapsed >= 150 && elapsed < 1000);
    }

    @Test
    public void whenAllAreDownItRecoversSoonAfterOneAcceptsAgain() throws Exception {
        TcpServer a = server().stop();
        TcpServer b = server().stop();
        FailoverRecovery recovery = new FailoverRecovery(
                settings(List.of(a.endpoint(), b.endpoint()), 1000, 10_000, -1), sockets);
        scheduler.schedule(() -> b.start(), 300, TimeUnit.MILLISECONDS);

        Result result = recovery.recover(1, a.endpoint());
        long lag = millisSince(b.startedAtNanos());

        assertEquals(b.endpoint(), result.endpoint());
        assertTrue("rounds while both were down: " + result.rounds(), result.rounds() >= 3);
        assertTrue("recovered " + lag + " ms after the backup listened again", lag <= 250);
    }

    @Test
    public void budgetStopsRecoveryWhenAllAreDown() throws Exception {
        TcpServer a = server().stop();
        TcpServer b = server().stop();
        FailoverRecovery recovery = new FailoverRecovery(settings(List.of(a.endpoint(), b.endpoint()), 1000, 300, -1),
                sockets);

        long start = System.nanoTime();
        Result result = recovery.recover(1, null);
        long elapsed = millisSince(start);

        assertEquals(Outcome.BUDGET_USED_UP, result.outcome());
        assertEquals(List.of(a.endpoint(), b.endpoint()), List.copyOf(result.failures().keySet()));
        assertTrue("gave up after " + elapsed + " ms", elapsed >= 200 && elapsed <= 400);
    }

    @Test
    public void attemptLimitCountsEveryEndpointTried() throws Exception {
        TcpServer a = server().stop();
        TcpServer b = server().stop();
        FailoverRecovery recovery = new FailoverRecovery(settings(List.of(a.endpoint(), b.endpoint()), 1000, 60_000, 5),
                sockets);

        Result result = recovery.recover(1, null);

        assertEquals(Outcome.ATTEMPTS_USED_UP, result.outcome());
        assertEquals(5, result.attempts());
        assertEquals(3, result.rounds());
        assertEquals(5, sockets.attempts.get());
    }

    @Test
    public void interruptStopsRecoveryPromptlyBetweenRounds() throws Exception {
        TcpServer a = server().stop();
        FailoverSettings slow = new FailoverSettings(List.of(a.endpoint()), 1000, 10_000, 10_000, 60_000, -1);
        CountDownLatch attempted = new CountDownLatch(1);
        FailoverRecovery recovery = new FailoverRecovery(slow, (coid, endpoint, timeout) -> {
            try {
                return sockets.reconnect(coid, endpoint, timeout);
            } finally {
                attempted.countDown();
            }
        });
        FutureTask<Result> task = new FutureTask<>(() -> recovery.recover(1, null));
        Thread runner = new Thread(task, "test-failover");
        runner.start();
        assertTrue(attempted.await(5, TimeUnit.SECONDS));

        long interruptedAt = System.nanoTime();
        runner.interrupt();
        try {
            fail("expected an interruption, got " + task.get(5, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof InterruptedException);
        }
        assertTrue("stopped " + millisSince(interruptedAt) + " ms after the interrupt", millisSince(interruptedAt) < 500);
    }

    @Test
    public void manyConnectionsFailOverConcurrentlyOnOneInstance() throws Exception {
        TcpServer a = server();
        TcpServer b = server();
        FailoverRecovery recovery = new FailoverRecovery(settings(List.of(a.endpoint(), b.endpoint()), 1000, 5000, -1),
                sockets);
        int connections = 20;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            a.stop();
            assertAllRecoverTo(b.endpoint(), recovery, pool, connections, a.endpoint());
            a.start();
            b.stop();
            assertAllRecoverTo(a.endpoint(), recovery, pool, connections, b.endpoint());
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertAllRecoverTo(final String expected, final FailoverRecovery recovery, final ExecutorService pool,
            final int connections, final String current) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Result>> results = new ArrayList<>();
        for (int coid = 0; coid < connections; coid++) {
            int id = coid;
            results.add(pool.submit(() -> {
                go.await();
                return recovery.recover(id, current);
            }));
        }
        go.countDown();
        for (int coid = 0; coid < connections; coid++) {
            assertEquals(expected, results.get(coid).get(5, TimeUnit.SECONDS).endpoint());
            assertEquals(expected, sockets.connectedTo(coid));
        }
    }
}
