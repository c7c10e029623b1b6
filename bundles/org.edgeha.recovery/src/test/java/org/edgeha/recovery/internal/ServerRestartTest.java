package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.junit.Test;

/** A real TCP server that goes away: restarted, staying down, many callers at once, a hanging function. */
public class ServerRestartTest extends RealServerTest {

    @Override
    protected Object[] configuration() {
        return new Object[] {"recovery_timeout_ms", 2_000L};
    }

    private void restartAfter(long millis) {
        Thread restarter = new Thread(() -> {
            try {
                Thread.sleep(millis); // how long the server is down
                server.restart();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "restarter");
        restarter.setDaemon(true);
        restarter.start();
    }

    @Test
    public void aRestartedServerIsInvisibleToTheCaller() throws Exception {
        Reconnecting reconnecting = new Reconnecting(ha, Duration.ofSeconds(10));
        int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2), reconnecting, null, 0);
        for (int round = 0; round < 5; round++) {
            server.stop();
            restartAfter(50);
            assertEquals("echo:" + round, request(coid, String.valueOf(round)));
        }
        assertEquals(5, reconnecting.calls.get());
        assertEquals(5, ha.info(coid).orElseThrow().recoveriesSucceeded());
    }

    @Test
    public void aServerThatStaysDownGivesTheOriginalErrorOnceTheFunctionGivesUp() throws Exception {
        int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2),
                new Reconnecting(ha, Duration.ofMillis(300)), null, 0);
        ha.control(coid, org.edgeha.recovery.api.ControlCommand.ICOUNT, 2);
        server.stop();
        long start = System.nanoTime();
        IOException original = null;
        try {
            request(coid, "x");
        } catch (IOException e) {
            original = e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue("the caller got an error", original != null);
        assertTrue("the function's reason is attached: " + original, original.getSuppressed().length == 1
                && original.getSuppressed()[0].getMessage().contains("did not come back"));
        assertTrue("bounded by the function's budget, not hanging: " + millis + " ms", millis < 1_900);
        assertEquals(1, ha.info(coid).orElseThrow().recoveriesFailed());
    }

    @Test
    public void sixteenThreadsFailingAtOnceCauseExactlyOneRecovery() throws Exception {
        Reconnecting reconnecting = new Reconnecting(ha, Duration.ofSeconds(10));
        int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2), reconnecting, null, 0);
        assertEquals("echo:warm", request(coid, "warm"));
        server.stop();
        restartAfter(300);

        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String text = "caller-" + i;
                replies.add(callers.submit(() -> {
                    go.await();
                    return request(coid, text);
                }));
            }
            go.countDown();
            for (int i = 0; i < 16; i++) {
                assertEquals("echo:caller-" + i, replies.get(i).get(20, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals("exactly one recovery", 1, reconnecting.calls.get());
        assertEquals(1, ha.info(coid).orElseThrow().recoveriesSucceeded());
    }

    @Test
    public void aHangingFunctionIsCutOffByTheTimeoutAndInterrupted() throws Exception {
        ha.modified(TestSupport.config("recovery_timeout_ms", 300L));
        CountDownLatch interrupted = new CountDownLatch(1);
        RecoveryFunction hangs = (c, h) -> {
            try {
                Thread.sleep(60_000); // a function stuck on a dead PLC
                return c;
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2), hangs, null, 0);
        server.stop();
        long start = System.nanoTime();
        IOException original = null;
        try {
            request(coid, "x");
        } catch (IOException e) {
            original = e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(original != null && original.getSuppressed()[0] instanceof TimeoutException);
        assertTrue("cut off near the timeout: " + millis + " ms", millis < 5_000);
        assertTrue("the stuck function was interrupted", interrupted.await(5, TimeUnit.SECONDS));

        // The connection is usable again once someone repairs it.
        server.restart();
        ha.attach(coid, new Reconnecting(ha, Duration.ofSeconds(5)), null,
                org.edgeha.recovery.api.HaConnections.REPLACE_RECOVERY_FN);
        assertEquals("echo:back", request(coid, "back"));
    }
}
