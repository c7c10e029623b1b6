package org.edgeha.testing.tcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tcp.FaultProxy.Direction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/** Real sockets end to end: a {@link LineServer} (or a byte sink, or mosquitto) behind the proxy. */
public class FaultProxyTest {

    private static final int SILENCE_MILLIS = 300;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private LineServer server;
    private FaultProxy proxy;

    @Before
    public void startServerAndProxy() throws IOException {
        server = closeLater(LineServer.start());
        proxy = closeLater(FaultProxy.start("127.0.0.1", server.port()));
    }

    @After
    public void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    public void forwardsBothWaysAndCounts() throws Exception {
        Client client = connect();

        assertEquals("echo:hello", client.request("hello"));
        assertEquals("tcp://127.0.0.1:" + proxy.port(), proxy.uri());
        assertEquals(1, proxy.connectionsAccepted());
        // Counted once the write returned, which may be a moment after the peer read the bytes.
        assertTrue(await(() -> proxy.bytesForwarded(Direction.BOTH) == "hello\n".length() + "echo:hello\n".length()));
        assertEquals("hello\n".length(), proxy.bytesForwarded(Direction.UPSTREAM));
        assertEquals("echo:hello\n".length(), proxy.bytesForwarded(Direction.DOWNSTREAM));
    }

    @Test
    public void pauseDownstreamHoldsRepliesAndResumeDeliversThemInOrder() throws Exception {
        Client client = connect();
        assertEquals("echo:0", client.request("0"));

        proxy.pause(Direction.DOWNSTREAM);
        client.send("1\n2\n3\n");
        assertTrue("requests still go up", await(() -> proxy.bytesForwarded(Direction.UPSTREAM) == 2 + 6));
        client.assertSilent();

        proxy.resume(Direction.DOWNSTREAM);
        assertEquals("echo:1", client.readLine());
        assertEquals("echo:2", client.readLine());
        assertEquals("echo:3", client.readLine());
        assertEquals("echo:4", client.request("4"));
    }

    @Test
    public void pauseBothHoldsRequestsAndTheirEndOfStreamUntilResumed() throws Exception {
        Client client = connect();
        proxy.pause(Direction.BOTH);
        client.send("a\n");
        client.socket.shutdownOutput(); // the FIN must wait behind the held bytes
        client.assertSilent();
        assertEquals(0, proxy.bytesForwarded(Direction.UPSTREAM));
        assertTrue("the server has not seen the FIN", server.awaitOpenClients(1, 5_000));

        proxy.resume(Direction.UPSTREAM);
        proxy.resume(Direction.DOWNSTREAM);
        assertEquals("echo:a", client.readLine());
        assertEquals("the server's FIN comes back after the reply", null, client.in.readLine());
    }

    @Test
    public void heldBytesBeyondTheLimitApplyBackpressureAndArriveIntact() throws Exception {
        ServerSocket sinkServer = closeLater(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        FaultProxy sinkProxy = closeLater(FaultProxy.start("127.0.0.1", sinkServer.getLocalPort()));
        sinkProxy.pause(Direction.UPSTREAM);
        Socket sender = closeLater(new Socket(InetAddress.getLoopbackAddress(), sinkProxy.port()));
        Socket sink = closeLater(sinkServer.accept());
        int total = 4 * FaultProxy.HOLD_LIMIT; // more than the limit plus every socket buffer on the way
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = sender.getOutputStream();
                byte[] chunk = new byte[8192];
                for (int offset = 0; offset < total; offset += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = pattern(offset + i);
                    }
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                written.set(-1);
            }
        }, "test-sender");
        writer.setDaemon(true);
        writer.start();

        long before;
        do { // wait until the sender is blocked
            before = written.get();
            Thread.sleep(SILENCE_MILLIS);
        } while (written.get() != before);
        assertTrue("sender blocked before the end, at " + before, before > 0 && before < total);
        assertEquals(0, sinkProxy.bytesForwarded(Direction.UPSTREAM));

        sinkProxy.resume(Direction.UPSTREAM);
        InputStream in = sink.getInputStream();
        byte[] buffer = new byte[65536];
        for (int received = 0; received < total;) {
            int n = in.read(buffer);
            assertTrue("stream ended at " + received, n > 0);
            for (int i = 0; i < n; i++, received++) {
                if (buffer[i] != pattern(received)) {
                    fail("byte " + received + " out of order");
                }
            }
        }
        writer.join(5_000);
        assertEquals(total, written.get());
        assertEquals(total, sinkProxy.bytesForwarded(Direction.UPSTREAM));
    }

    @Test
    public void blackholeMakesReadsTimeOutWithoutEofAndRestoreResetsTheConnection() throws Exception {
        Client client = connect();
        assertEquals("echo:before", client.request("before"));

        proxy.blackhole();
        client.send("lost\n");
        client.assertSilent();
        Client during = connect(); // accepted, but the server never hears of it
        during.send("lost too\n");
        during.assertSilent();
        assertEquals(1, server.accepted.get());
        assertEquals(2, proxy.connectionsAccepted());
        assertEquals(1, server.openClients()); // no FIN or RST reached the server either

        proxy.restore();
        client.assertReset();
        during.assertReset();
        assertTrue(server.awaitOpenClients(0, 5_000));
        assertEquals("echo:after", connect().request("after"));
    }

    @Test
    public void resetAllGivesBothSidesAnIOExceptionAndNewConnectionsWork() throws Exception {
        Client client = connect();
        assertEquals("echo:x", client.request("x"));

        proxy.resetAll();
        client.assertReset();
        assertTrue("the server's side was closed too", server.awaitOpenClients(0, 5_000));
        assertEquals("echo:y", connect().request("y"));
    }

    @Test
    public void refuseNewClosesNewConnectionsAtOnceAndKeepsCurrentOnes() throws Exception {
        Client current = connect();
        assertEquals("echo:first", current.request("first")); // accepted by the proxy, not just by the kernel

        proxy.refuseNew(true);
        Client refused = connect();
        refused.assertReset();
        assertEquals("echo:still", current.request("still"));
        assertEquals(2, proxy.connectionsAccepted());
        assertEquals(1, server.accepted.get());

        proxy.refuseNew(false);
        assertEquals("echo:again", connect().request("again"));
    }

    @Test
    public void closeStopsListeningResetsConnectionsAndEndsItsThreads() throws Exception {
        Client client = connect();
        assertEquals("echo:x", client.request("x"));
        String prefix = "fault-proxy-" + proxy.port() + "-";
        assertTrue(proxyThreads(prefix) >= 5); // acceptor, plus a reader and a writer per direction

        proxy.close();
        client.assertReset();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            fail("proxy still listens");
        } catch (ConnectException expected) {
            // refused
        }
        assertTrue("threads left: " + proxyThreads(prefix), await(() -> proxyThreads(prefix) == 0));
    }

    /**
     * Raw MQTT 3.1.1 to a real mosquitto through the proxy: with the link blackholed the client gets no answer and
     * no EOF, and the broker notices only when the keepalive runs out, then publishes the client's will. (Mosquitto
     * 2.0 checks keepalives every 5 s or so, so that takes up to 1.5 keepalives plus 5 s.)
     */
    @Test
    public void mosquittoNoticesABlackholedClientOnlyThroughKeepalive() throws Exception {
        Assume.assumeTrue("mosquitto only", BrokerFixture.selectedKind() == BrokerFixture.Kind.MOSQUITTO);
        BrokerFixture broker = closeLater(BrokerFixture.start());
        FaultProxy mqttProxy = closeLater(FaultProxy.start("127.0.0.1", broker.port()));
        BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        MqttClient observer = subscribe(broker, "fault/will", wills);
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), mqttProxy.port()));
        client.setSoTimeout(5_000);
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();

        out.write(connectWithWill(1, "fault/will", "gone"));
        assertArrayEquals("CONNACK, accepted", new byte[] {0x20, 2, 0, 0}, in.readNBytes(4));
        out.write(new byte[] {(byte) 0xC0, 0}); // PINGREQ
        assertArrayEquals("PINGRESP", new byte[] {(byte) 0xD0, 0}, in.readNBytes(2));

        mqttProxy.blackhole();
        long cut = System.nanoTime();
        out.write(new byte[] {(byte) 0xC0, 0});
        String will = wills.poll(15, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
        assertEquals("gone", will);
        assertTrue("will after " + millis + " ms, before the 1.5 s keepalive ran out", millis >= 1_000);
        client.setSoTimeout(SILENCE_MILLIS);
        try {
            fail("read " + in.read() + " from a blackholed link");
        } catch (SocketTimeoutException expected) {
            // silence: no PINGRESP, no EOF, no reset
        }
        observer.disconnect();
        observer.close();
    }

    private static byte[] connectWithWill(int keepAliveSeconds, String willTopic, String willPayload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x06, 0, (byte) keepAliveSeconds}); // clean, will
        for (String s : List.of("fault-proxy-test", willTopic, willPayload)) {
            byte[] bytes = s.getBytes(UTF_8);
            body.write(0);
            body.write(bytes.length);
            body.writeBytes(bytes);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10); // CONNECT
        packet.write(body.size()); // < 128: one length byte
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private MqttClient subscribe(BrokerFixture broker, String topic, BlockingQueue<String> received)
            throws MqttException {
        MqttClient client = new MqttClient(broker.uri(), "fault-proxy-observer", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                received.add(new String(message.getPayload(), UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        client.connect(options);
        client.subscribe(topic, 1).waitForCompletion(5_000);
        return client;
    }

    private static byte pattern(long index) {
        return (byte) (index % 251); // a prime period, so a shifted or repeated chunk shows
    }

    private static long proxyThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private Client connect() throws IOException {
        return closeLater(new Client(new Socket(InetAddress.getLoopbackAddress(), proxy.port())));
    }

    /** A line client of the proxy with a read timeout, so a missing reply fails instead of hanging. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(5_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        }

        String request(String line) throws IOException {
            send(line + "\n");
            return readLine();
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(UTF_8));
        }

        String readLine() throws IOException {
            String line = in.readLine();
            assertNotNull("EOF", line);
            return line;
        }

        /** Nothing arrives, and the stream has not ended. */
        void assertSilent() throws IOException {
            socket.setSoTimeout(SILENCE_MILLIS);
            try {
                fail("received " + in.readLine());
            } catch (SocketTimeoutException expected) {
                // neither bytes nor EOF
            } finally {
                socket.setSoTimeout(5_000);
            }
        }

        /** The next read fails with a reset (not EOF, not a timeout). */
        void assertReset() {
            try {
                String line = in.readLine();
                fail(line == null ? "EOF instead of a reset" : "received " + line);
            } catch (SocketTimeoutException e) {
                fail("no reset within 5 s");
            } catch (IOException expected) {
                assertFalse(expected instanceof SocketTimeoutException);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
