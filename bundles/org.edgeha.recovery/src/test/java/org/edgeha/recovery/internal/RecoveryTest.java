package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.junit.Test;

/** The reference's behaviours 5-9: when recovery runs, what the caller sees, limits and suspension. */
public class RecoveryTest extends RealServerTest {

    private int connect(RecoveryFunction function) throws Exception {
        return ha.connectAttach("plc", server.address(), Duration.ofSeconds(2), function, null, 0);
    }

    @Test
    public void otherFailuresReachTheCallerUntouchedAndNoRecoveryRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int coid = connect((c, h) -> {
            calls.incrementAndGet();
            return c;
        });
        IOException protocolError = new IOException("bad reply checksum");
        IOException thrown = assertThrows(IOException.class, () -> ha.invoke(coid, SocketChannel.class, ch -> {
            throw protocolError;
        }));
        assertSame(protocolError, thrown);
        IllegalStateException bug = assertThrows(IllegalStateException.class,
                () -> ha.invoke(coid, SocketChannel.class, ch -> {
                    throw new IllegalStateException("bug");
                }));
        assertEquals(0, bug.getSuppressed().length);
        assertEquals(0, calls.get());
        assertEquals("echo:ok", request(coid, "ok"));
    }

    @Test
    public void sameIdFromTheFunctionReissuesTheOperationAndTheCallerSeesOnlyTheRetry() throws Exception {
        Reconnecting reconnecting = new Reconnecting(ha, Duration.ofSeconds(10));
        int coid = connect(reconnecting);
        assertEquals("echo:one", request(coid, "one"));

        server.stop();
        Thread restarter = new Thread(() -> {
            try {
                Thread.sleep(200); // the server is down for a while; the recovery function keeps trying
                server.restart();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restarter.start();
        assertEquals("echo:two", request(coid, "two"));
        restarter.join();
        assertEquals(1, reconnecting.calls.get());
        ConnectionInfo info = ha.info(coid).orElseThrow();
        assertEquals(1, info.recoveriesSucceeded());
        assertEquals(coid, info.coid());
    }

    @Test
    public void minusOneOtherIdOrAThrowGiveTheOriginalErrorAtOnceWithoutRetry() throws Exception {
        AtomicInteger operations = new AtomicInteger();
        RecoveryFunction[] functions = {
            (c, h) -> RecoveryFunction.FAILED,
            (c, h) -> c + 1000,
            (c, h) -> {
                throw new IllegalStateException("cannot recover");
            }
        };
        for (RecoveryFunction function : functions) {
            int coid = connect(function);
            server.stop();
            operations.set(0);
            IOException[] first = new IOException[1];
            IOException original = assertThrows(IOException.class, () -> ha.invoke(coid, SocketChannel.class, ch -> {
                operations.incrementAndGet();
                try {
                    LineIo.writeLine(ch, "x");
                    return LineIo.readLine(ch, 100);
                } catch (IOException e) {
                    first[0] = e;
                    throw e;
                }
            }));
            assertSame("the original error", first[0], original);
            assertEquals("not retried", 1, operations.get());
            assertEquals(1, original.getSuppressed().length);
            assertEquals(1, ha.info(coid).orElseThrow().recoveriesFailed());
            server.restart();
            ha.close(coid);
        }
    }

    @Test
    public void aFunctionThatThrowsAnErrorGivesTheOriginalErrorAtOnceNotAfterTheTimeout() throws Exception {
        Error[] errors = {new AssertionError("bug in the strategy"), new StackOverflowError()};
        for (Error error : errors) {
            int coid = connect((c, h) -> {
                throw error;
            });
            server.stop();
            long start = System.nanoTime();
            IOException original = assertThrows(IOException.class, () -> request(coid, "x"));
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertSame("the function's error, not a timeout", error, original.getSuppressed()[0]);
            assertTrue("at once, not after the 30 s recovery timeout: " + millis + " ms", millis < 5_000);
            assertEquals(1, ha.info(coid).orElseThrow().recoveriesFailed());
            server.restart();
            ha.close(coid);
        }
    }

    @Test
    public void thrownRecoveryErrorIsAttachedAsSuppressed() throws Exception {
        IllegalStateException why = new IllegalStateException("no route to PLC");
        int coid = connect((c, h) -> {
            throw why;
        });
        server.stop();
        IOException original = assertThrows(IOException.class, () -> request(coid, "x"));
        assertSame(why, original.getSuppressed()[0]);
    }

    @Test
    public void icountBoundsRecoveriesForOneFailureAndResetsAfterSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // "Recovers" without repairing: the retry fails again, so only ICOUNT stops the loop.
        int coid = connect((c, h) -> {
            calls.incrementAndGet();
            return c;
        });
        ha.control(coid, ControlCommand.ICOUNT, 3);
        server.stop();
        // The caller gets the failure of the last try (EOF, or a reset/broken pipe on the dead socket).
        assertThrows(IOException.class, () -> request(coid, "x"));
        assertEquals(3, calls.get());
        assertEquals(3, ha.info(coid).orElseThrow().icount());

        // Still at the limit: the next failure gets no recovery until the counter is reset.
        assertThrows(IOException.class, () -> request(coid, "y"));
        assertEquals(3, calls.get());
        ha.control(coid, ControlCommand.RESET_ICOUNT, 0);
        assertEquals(0, ha.info(coid).orElseThrow().icount());

        // A real repair: success resets the iteration counter.
        server.restart();
        ha.attach(coid, new Reconnecting(ha, Duration.ofSeconds(5)), null,
                org.edgeha.recovery.api.HaConnections.REPLACE_RECOVERY_FN);
        assertEquals("echo:z", request(coid, "z"));
        assertEquals(0, ha.info(coid).orElseThrow().icount());
    }

    @Test
    public void acountBoundsRecoveriesOverTheLifetimeAndNegativeMeansUnlimited() throws Exception {
        Reconnecting reconnecting = new Reconnecting(ha, Duration.ofSeconds(5));
        int coid = connect(reconnecting);
        ha.control(coid, ControlCommand.ACOUNT, 2);
        for (int i = 0; i < 2; i++) {
            server.stop();
            server.restart();
            assertEquals("echo:" + i, request(coid, String.valueOf(i)));
        }
        assertEquals(2, reconnecting.calls.get());
        server.stop();
        server.restart();
        assertThrows("third recovery refused", IOException.class, () -> request(coid, "x"));
        assertEquals(2, reconnecting.calls.get());

        ha.control(coid, ControlCommand.ACOUNT, -1);
        assertEquals("echo:again", request(coid, "again"));
        assertEquals(3, reconnecting.calls.get());
        ha.control(coid, ControlCommand.RESET_ACOUNT, 0);
        assertEquals(0, ha.info(coid).orElseThrow().acount());
    }

    @Test
    public void suspendedConnectionsFailLikePlainOnesAndEnableChangesNothingElse() throws Exception {
        Reconnecting reconnecting = new Reconnecting(ha, Duration.ofSeconds(5));
        int coid = connect(reconnecting);
        ha.control(coid, ControlCommand.ICOUNT, 7);
        ha.control(coid, ControlCommand.SUSPEND, 0);
        assertTrue(ha.info(coid).orElseThrow().suspended());
        server.stop();
        server.restart();
        assertThrows(IOException.class, () -> request(coid, "x"));
        assertEquals(0, reconnecting.calls.get());

        ha.control(coid, ControlCommand.ENABLE, 0);
        ConnectionInfo info = ha.info(coid).orElseThrow();
        assertEquals(7, info.icountLimit());
        assertTrue(info.recoveryFunction().contains(Reconnecting.class.getName()));
        assertEquals("echo:y", request(coid, "y"));
        assertEquals(1, reconnecting.calls.get());
    }
}
