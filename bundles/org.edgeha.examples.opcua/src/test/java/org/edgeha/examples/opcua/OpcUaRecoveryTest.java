package org.edgeha.examples.opcua;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.standalone.StandaloneHaConnections;
import org.edgeha.testing.opcua.OpcUaTestServer;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;
import org.osgi.service.log.Logger;

/**
 * The example's HA-aware OPC UA session against a real Eclipse Milo server that the test starts, shuts down and
 * starts again on a free loopback port, with the real recovery service (started without OSGi) and the example's
 * recovery function attached in code, exactly as the whiteboard would give it. Every wait is bounded; the recovery
 * time is printed (and so is in the test's output).
 */
public class OpcUaRecoveryTest {

    /** Longest any one step may take before the test fails instead of hanging. */
    private static final long STEP_SECONDS = 30;

    @Rule
    public final Timeout timeout = Timeout.seconds(120);

    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-reader");
        t.setDaemon(true);
        return t;
    });
    private HaConnections ha;
    private OpcUaTestServer server;
    private OpcUaSession session;

    @Before
    public void start() throws Exception {
        ha = StandaloneHaConnections.start(printing());
        server = OpcUaTestServer.start();
    }

    @After
    public void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        readers.shutdownNow();
        StandaloneHaConnections.stop(ha);
        server.close();
    }

    @Test
    public void readsAndTheSubscriptionGoOnAcrossAServerRestart() throws Exception {
        session = open(Duration.ofSeconds(20));
        NodeId counter = OpcUaTestServer.counterNode();

        server.set(7);
        assertEquals("read before the outage", 7, intValue(session.read(counter)));

        BlockingQueue<Integer> values = new LinkedBlockingQueue<>();
        Subscription subscription = session.subscribe(counter, Duration.ofMillis(50), v -> values.add(intValue(v)));
        awaitValue(values, 7, "the subscription's first value");
        server.set(8);
        awaitValue(values, 8, "a change before the outage");

        long outageStart = System.nanoTime();
        server.stop();
        Future<DataValue> duringOutage = readers.submit(() -> session.read(counter));
        Thread.sleep(1000); // the server stays down for a second; the read waits for the recovery meanwhile
        assertFalse("the read cannot complete while the server is down", duringOutage.isDone());

        long restart = System.nanoTime();
        server.restart();
        long accepting = System.nanoTime();
        server.set(100);
        DataValue recovered = duringOutage.get(STEP_SECONDS, TimeUnit.SECONDS);
        long readDone = System.nanoTime();
        assertTrue("the read during the outage completes after recovery: " + recovered,
                recovered.getStatusCode().isGood());
        int value = intValue(recovered);
        assertTrue("it was answered by the restarted server (0 at its start, then 100): " + value,
                value == 0 || value == 100);

        awaitCount(() -> session.info().recoveriesSucceeded(), 1, "one recovery");
        ConnectionInfo info = session.info();
        assertEquals(0, info.recoveriesFailed());
        assertEquals("explicit " + OpcUaReconnect.class.getName(), info.recoveryFunction());
        System.out.printf("OPC UA recovery: server down %d ms; the read issued during the outage completed %d ms "
                + "after the server's restart began (%d ms after it accepted again); the recovery function ran %d ms "
                + "(connection %s)%n", millis(restart - outageStart), millis(readDone - restart),
                millis(readDone - accepting), info.lastRecoveryMillis(), info.name());

        values.clear();
        server.set(200);
        awaitValue(values, 200, "the subscription delivers again after the restart");
        assertEquals("the subscription was made again on the new session", 2, subscription.timesMade());

        server.set(300);
        assertEquals("read after the outage", 300, intValue(session.read(counter)));
    }

    @Test
    public void aReadDuringAnOutageLongerThanTheBudgetFailsWithTheDocumentedError() throws Exception {
        session = open(Duration.ofMillis(1500));
        NodeId counter = OpcUaTestServer.counterNode();
        server.set(1);
        assertEquals(1, intValue(session.read(counter)));

        server.stop();
        long start = System.nanoTime();
        Future<DataValue> duringOutage = readers.submit(() -> session.read(counter));
        try {
            duringOutage.get(STEP_SECONDS, TimeUnit.SECONDS);
            fail("a read while the server stays down must fail once the recovery budget is used up");
        } catch (ExecutionException e) {
            UaException original = (UaException) e.getCause();
            assertTrue("the caller gets the original failure, a lost session: " + original,
                    OpcUaSessionType.LOST_STATUS.contains(original.getStatusCode().getValue()));
            Throwable reason = Arrays.stream(original.getSuppressed()).filter(UaException.class::isInstance)
                    .findFirst().orElse(null);
            assertNotNull("with the recovery function's reason attached: " + Arrays.toString(original.getSuppressed()),
                    reason);
            assertEquals(StatusCodes.Bad_ServerNotConnected, ((UaException) reason).getStatusCode().getValue());
            assertTrue(reason.getMessage(), reason.getMessage().contains("not re-established within 1500 ms"));
            System.out.printf("OPC UA recovery budget used up: the read failed after %d ms with %s; reason: %s%n",
                    millis(System.nanoTime() - start), original, reason.getMessage());
        }
        awaitCount(() -> session.info().recoveriesFailed(), 1, "the failed recovery counted");

        server.restart();
        server.set(5);
        assertEquals("the session is still HA-aware: the next read recovers it", 5, intValue(session.read(counter)));
        awaitCount(() -> session.info().recoveriesSucceeded(), 1, "one recovery");
    }

    @Test
    public void aFailureThatIsNotALostSessionReachesTheCallerWithoutRecovery() throws Exception {
        session = open(Duration.ofSeconds(5));
        DataValue unknown = session.read(new NodeId(2, "Line1/NoSuchVariable"));
        assertEquals(StatusCodes.Bad_NodeIdUnknown, unknown.getStatusCode().getValue());
        try {
            session.subscribe(new NodeId(2, "Line1/NoSuchVariable"), Duration.ofMillis(50), v -> { });
            fail("a monitored item on an unknown node is refused");
        } catch (UaException e) {
            assertEquals(StatusCodes.Bad_NodeIdUnknown, e.getStatusCode().getValue());
        }
        assertEquals("no recovery ran", 0, session.info().recoveriesSucceeded() + session.info().recoveriesFailed());
    }

    @Test
    public void aSessionOpenedWhileTheServerIsDownIsRecoveredByItsFirstRead() throws Exception {
        server.stop();
        session = open(Duration.ofSeconds(20));
        Future<DataValue> first = readers.submit(() -> session.read(OpcUaTestServer.counterNode()));
        Thread.sleep(500);
        server.restart();
        server.set(42);
        DataValue value = first.get(STEP_SECONDS, TimeUnit.SECONDS);
        assertTrue(value.getStatusCode().isGood());
        awaitCount(() -> session.info().recoveriesSucceeded(), 1, "one recovery");
    }

    @Test
    public void theTypeSaysWhichFailuresMeanALostSession() {
        OpcUaSessionType type = new OpcUaSessionType(Duration.ofSeconds(1));
        assertEquals("opcua", type.kind());
        assertTrue(type.isConnectionLost(new UaException(StatusCodes.Bad_ConnectionClosed)));
        assertTrue(type.isConnectionLost(new ExecutionException(new UaException(StatusCodes.Bad_SessionIdInvalid))));
        assertTrue(type.isConnectionLost(new java.net.ConnectException("Connection refused")));
        assertFalse(type.isConnectionLost(new UaException(StatusCodes.Bad_NodeIdUnknown)));
        assertFalse(type.isConnectionLost(new UaException(StatusCodes.Bad_UserAccessDenied)));
        assertFalse("a timeout while the session is up is the caller's", type.isConnectionLost(
                new UaException(StatusCodes.Bad_Timeout)));
    }

    private OpcUaSession open(final Duration budget) throws Exception {
        Logger log = printing();
        OpcUaReconnect function = new OpcUaReconnect(ha, log, budget, Duration.ofMillis(100), Duration.ofSeconds(2));
        return OpcUaSession.open(ha, "opc-line1", server.endpoint(), Duration.ofSeconds(5), Duration.ofSeconds(2),
                function, log);
    }

    /** The recovery service counts a recovery just after it releases the callers: wait for it, bounded. */
    private static void awaitCount(final Count count, final long expected, final String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        long seen = count.get();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = count.get();
        }
        assertEquals(what, expected, seen);
    }

    @FunctionalInterface
    private interface Count {
        long get() throws Exception;
    }

    private static void awaitValue(final BlockingQueue<Integer> values, final int expected, final String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (System.nanoTime() < deadline) {
            Integer v = values.poll(100, TimeUnit.MILLISECONDS);
            if (v != null && v == expected) {
                return;
            }
        }
        throw new TimeoutException(what + ": value " + expected + " not delivered within " + STEP_SECONDS + " s");
    }

    private static int intValue(final DataValue value) {
        Object v = value.getValue().getValue();
        if (!(v instanceof Integer i)) {
            throw new AssertionError("not an Int32 value: " + value);
        }
        return i;
    }

    private static long millis(final long nanos) {
        return nanos / 1_000_000;
    }

    /** An OSGi Logger that prints info, warn and error lines ({} filled in) to standard output. */
    static Logger printing() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String level = method.getName();
                    if ((level.equals("info") || level.equals("warn") || level.equals("error")) && args != null
                            && args.length > 0 && args[0] instanceof String format) {
                        StringBuilder line = new StringBuilder(format);
                        for (int i = 1; i < args.length; i++) {
                            Object[] rest = args[i] instanceof Object[] varargs ? varargs : new Object[] {args[i]};
                            for (Object arg : rest) {
                                int at = line.indexOf("{}");
                                if (at >= 0) {
                                    line.replace(at, at + 2, String.valueOf(arg));
                                }
                            }
                        }
                        System.out.println(level.toUpperCase() + " " + line);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE
                            : method.getReturnType() == String.class ? "test" : null;
                });
    }
}
