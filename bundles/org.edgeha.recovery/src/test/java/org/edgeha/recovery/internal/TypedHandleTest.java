package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The typed handle ({@link HaConnection}): the seed's ha_attach() model against a real server, same errors as the int calls. */
public class TypedHandleTest extends RealServerTest {

    @Override
    protected Object[] configuration() {
        return new Object[] {"recovery_timeout_ms", 5_000L};
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String exchange(SocketChannel channel, String text) throws IOException {
        synchronized (channel) {
            LineIo.writeLine(channel, text);
            return LineIo.readLine(channel, 1000);
        }
    }

    /** A recovery function written against the handle: reconnect to the same endpoint, as QNX's ha_ReConnectAttach(). */
    private RecoveryFunction reconnectThroughHandle(AtomicInteger calls, AtomicReference<Object> handleSeen) {
        return (coid, rhdl) -> {
            calls.incrementAndGet();
            handleSeen.set(rhdl);
            HaConnection<SocketChannel> broken = ha.handle(coid, SocketChannel.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (true) {
                try {
                    broken.reconnect(null, Duration.ofMillis(500));
                    return coid;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(5); // the server is still down
                }
            }
        };
    }

    @Test
    public void theSeedsHaAttachExampleThroughTheHandleRecoversARealSocketTransparently() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Object> handleSeen = new AtomicReference<>();
        int coid;
        // The seed: a connection is established, then ha_attach() makes it HA-aware.
        try (HaConnection<SocketChannel> plc = ha.registerConnection("plc-press-1", TestSupport.tcpType(),
                TcpType.connect(server.address(), Duration.ofSeconds(2)), server.endpoint(), Map.of())) {
            coid = plc.coid();
            assertEquals(SocketChannel.class, plc.resourceType());
            assertFalse("registered, not yet HA-aware", plc.info().haAware());
            plc.attach(reconnectThroughHandle(calls, handleSeen), "rhdl");
            assertTrue(plc.info().haAware());
            assertEquals("echo:before", plc.invoke(ch -> exchange(ch, "before")));

            server.stop(); // the socket breaks for real
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    server.restart();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restarter.start();
            // The failed operation is retried transparently after the recovery function returned the same coid.
            assertEquals("echo:after", plc.invoke(ch -> exchange(ch, "after")));
            restarter.join();
            assertEquals(1, calls.get());
            assertEquals("rhdl", handleSeen.get());
            assertEquals(1, plc.info().recoveriesSucceeded());
        }
        // try-with-resources closed the coid and its socket
        assertTrue(ha.info(coid).isEmpty());
        assertTrue("the server sees the client go", server.awaitOpenClients(0, 5_000));
    }

    @Test
    public void connectGivesAnHaAwareHandleThatAnIntCallSeesAsTheSameConnection() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (HaConnection<SocketChannel> plc = ha.connect("plc", server.address(), Duration.ofSeconds(2),
                reconnectThroughHandle(calls, new AtomicReference<>()), null, 0)) {
            assertTrue(plc.info().haAware());
            assertEquals("plc", ha.info(plc.coid()).orElseThrow().name());
            // the two faces mix on one coid
            assertEquals("echo:x", request(plc.coid(), "x"));
            assertEquals("echo:y", plc.invoke(ch -> exchange(ch, "y")));
        }
    }

    @Test
    public void theHandleRefusesWhatTheIntCallsRefuseWithTheSameCodes() throws Exception {
        HaException unknown = assertThrows(HaException.class, () -> ha.handle(999, SocketChannel.class));
        assertEquals(HaError.EBADF, unknown.code());
        assertEquals(999, unknown.coid());

        HaConnection<SocketChannel> plc = ha.registerConnection("plc", TestSupport.tcpType(),
                TcpType.connect(server.address(), Duration.ofSeconds(2)), server.endpoint(), Map.of());
        assertEquals(HaError.EINVAL, assertThrows(HaException.class, () -> ha.handle(plc.coid(), FileChannel.class)).code());
        assertEquals("replace needs a function to replace", HaError.EBADF,
                assertThrows(HaException.class, () -> plc.replace((c, h) -> c, null)).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class, plc::detach).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class, plc::suspend).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class, plc::dup).code());
        plc.attach(null, null);
        assertEquals(HaError.EEXIST, assertThrows(HaException.class, () -> plc.attach(null, null)).code());
        assertEquals(HaError.EINVAL, assertThrows(HaException.class, () -> plc.replaceResource(null)).code());

        plc.close();
        assertFalse(plc.isOpen());
        plc.close(); // a second close of the same handle does nothing, as Closeable asks
        assertEquals(HaError.EBADF, assertThrows(HaException.class, () -> plc.invoke(ch -> exchange(ch, "x"))).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class, plc::info).code());

        // A coid closed through the int call: the handle's close says so, as ha.close would.
        HaConnection<SocketChannel> other = ha.connect("other", server.address(), Duration.ofSeconds(2));
        ha.close(other.coid());
        assertEquals(HaError.EBADF, assertThrows(HaException.class, other::close).code());
    }

    @Test
    public void limitsAndSuspensionGoThroughTheHandle() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (HaConnection<SocketChannel> plc = ha.connect("plc", server.address(), Duration.ofSeconds(2),
                reconnectThroughHandle(calls, new AtomicReference<>()), null, 0)) {
            plc.limitRecoveries(5);
            plc.limitRecoveriesPerFailure(1);
            assertEquals(5, plc.info().acountLimit());
            assertEquals(1, plc.info().icountLimit());
            plc.suspend();
            assertTrue(plc.info().suspended());
            server.stop();
            assertThrows("suspended: the failure reaches the caller", IOException.class,
                    () -> plc.invoke(ch -> exchange(ch, "x")));
            assertEquals(0, calls.get());
            plc.resume();
            assertFalse(plc.info().suspended());
        }
    }

    @Test
    public void aDuplicateSharesTheRecoveryRecordAndKeepsTheResourceOpen() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HaConnection<SocketChannel> plc = ha.connect("plc", server.address(), Duration.ofSeconds(2),
                reconnectThroughHandle(calls, new AtomicReference<>()), null, 0);
        try (HaConnection<SocketChannel> copy = plc.dup()) {
            assertNotEquals(plc.coid(), copy.coid());
            assertEquals(2, copy.info().references());
            plc.close();
            assertTrue(copy.isOpen());
            assertEquals("echo:still", copy.invoke(ch -> exchange(ch, "still")));
        }
        assertTrue("the last duplicate closed the socket", server.awaitOpenClients(0, 5_000));
    }

    @Test
    public void filesOpenThroughTheHandleAndReopenKeepsTheCoid() throws Exception {
        Path path = tmp.getRoot().toPath().resolve("counts.log");
        try (HaConnection<FileChannel> log = ha.createFile(path, (coid, h) -> coid, null, 0)) {
            log.invoke(ch -> ch.write(ByteBuffer.wrap("one\n".getBytes(StandardCharsets.UTF_8))));
            int coid = log.coid();
            log.reopen();
            assertEquals(coid, log.coid());
            assertTrue(log.isOpen());
        }
        try (HaConnection<FileChannel> in = ha.openFile(path, "r", null, null, 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            int read = in.invoke(ch -> ch.read(buffer));
            assertEquals("one\n", new String(buffer.array(), 0, read, StandardCharsets.UTF_8));
        }
        assertEquals("unknown fopen mode", HaError.EINVAL,
                assertThrows(HaException.class, () -> ha.openFile(path, "rw", null, null, 0)).code());
        assertEquals(List.of(), ha.connections());
        assertEquals("one\n", Files.readString(path));
    }

    @Test
    public void oneHandleSharedByManyThreadsThroughAServerRestartRecoversOnceAndAnswersEveryone() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int threads = 6;
        int rounds = 20;
        try (HaConnection<SocketChannel> plc = ha.connect("plc", server.address(), Duration.ofSeconds(2),
                reconnectThroughHandle(calls, new AtomicReference<>()), null, 0)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch halfway = new CountDownLatch(threads);
                CountDownLatch broken = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        int answered = 0;
                        for (int i = 0; i < rounds; i++) {
                            if (i == rounds / 2) { // every thread goes on only once the socket is broken
                                halfway.countDown();
                                broken.await();
                            }
                            String text = thread + "-" + i;
                            assertEquals("echo:" + text, plc.invoke(ch -> exchange(ch, text)));
                            answered++;
                        }
                        return answered;
                    }));
                }
                assertTrue(halfway.await(10, TimeUnit.SECONDS));
                server.stop();
                broken.countDown();
                Thread.sleep(50); // all six fail on the dead socket while the server is down
                server.restart();
                int answered = 0;
                for (Future<Integer> result : results) {
                    answered += result.get(30, TimeUnit.SECONDS);
                }
                assertEquals(threads * rounds, answered);
            } finally {
                pool.shutdownNow();
            }
            assertEquals("one break, one recovery for all six callers", 1, calls.get());
            assertEquals(1, plc.info().recoveriesSucceeded());
        }
    }
}
