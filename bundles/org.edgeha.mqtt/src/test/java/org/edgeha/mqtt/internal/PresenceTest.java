package org.edgeha.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.OverflowPolicy;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.standalone.StandaloneHaConnections;
import org.edgeha.testing.broker.BrokerFixture;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Node presence and incarnations through a real Mosquitto: what Group Services builds its failure detection on. */
public class PresenceTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private HaConnections ha;
    private final List<ManagedConnection> connections = new ArrayList<>();

    @Before
    public void setUp() {
        broker = BrokerFixture.start();
        ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
    }

    @After
    public void tearDown() {
        connections.forEach(ManagedConnection::close);
        StandaloneHaConnections.stop(ha);
        broker.close();
    }

    /** Everything a listener is told, as text, in order: {@code connected inc resumed}, {@code presence {..}}. */
    static final class Recorder implements PresenceListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile Map<Integer, Long> last = Map.of();

        @Override
        public void connected(long incarnation, boolean resumed) {
            events.add("connected " + incarnation + " " + resumed);
        }

        @Override
        public void disconnected() {
            events.add("disconnected");
        }

        @Override
        public void presence(Map<Integer, Long> online) {
            last = online;
            events.add("presence " + new java.util.TreeMap<>(online));
        }

        String next(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.startsWith(prefix)) {
                    return e;
                }
            }
            throw new AssertionError("no event starting with '" + prefix + "'");
        }

        void awaitPresence(java.util.function.Predicate<Map<Integer, Long>> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!p.test(last)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("presence never matched; last " + last);
                }
                Thread.sleep(10);
            }
        }
    }

    private ManagedConnection connect(Path store, int node) throws Exception {
        ManagedConnection c = new ManagedConnection(MqttTestSupport.settings(broker.uri(), store, 1000,
                OverflowPolicy.REJECT_NEW, node), ha, MqttTestSupport.reconnecting(ha, Duration.ofSeconds(20),
                new MqttTestSupport.Gate()), StandaloneHaConnections.quietLogger());
        connections.add(c);
        c.start();
        return c;
    }

    @Test
    public void gatewaysSeeEachOtherWithTheirIncarnationsAndAReconnectAfterABrokerRestartIsResumed() throws Exception {
        ManagedConnection seven = connect(tmp.newFolder("s7").toPath().resolve("test"), 7);
        Recorder r7 = new Recorder();
        seven.addPresenceListener(r7);
        ManagedConnection eight = connect(tmp.newFolder("s8").toPath().resolve("test"), 8);
        Recorder r8 = new Recorder();
        eight.addPresenceListener(r8);

        r7.awaitPresence(m -> m.containsKey(8));
        r8.awaitPresence(m -> m.containsKey(7));
        assertEquals(Long.valueOf(eight.incarnation()), r7.last.get(8));
        assertEquals(Long.valueOf(seven.incarnation()), r8.last.get(7));
        long inc7 = seven.incarnation();

        broker.kill();
        r7.next("disconnected");
        broker.restart(); // without persistence: no retained status, no session, and no will was published
        assertEquals("connected " + inc7 + " true", r7.next("connected"));
        r7.awaitPresence(m -> m.containsKey(8));
        assertEquals(inc7, seven.incarnation());
    }

    @Test
    public void aWillPublishedForThisIncarnationMakesTheGatewayComeBackAsANewOne() throws Exception {
        ManagedConnection seven = connect(tmp.newFolder("s7").toPath().resolve("test"), 7);
        Recorder r7 = new Recorder();
        seven.addPresenceListener(r7);
        r7.next("connected");
        long before = seven.incarnation();
        // What the broker does when the will delay passes: "offline" for this incarnation, retained.
        try (MqttTestSupport.Observer observer = new MqttTestSupport.Observer(broker.uri(), "edgeha/test/node/+/status")) {
            observer.client.publish("edgeha/test/node/7/status", new MqttMessage(
                    Presence.format(7, before, "offline"), 1, true, null)).waitForCompletion(5_000);
            String connected = r7.next("connected");
            long after = seven.incarnation();
            assertTrue("new incarnation " + after + " after " + before, after > before);
            assertEquals("connected " + after + " false", connected);
            // and the retained status now says online for the new incarnation
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String prefix = "edgeha/test/node/7/status=";
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                String got = observer.received.poll(100, TimeUnit.MILLISECONDS);
                seen = got != null && got.startsWith(prefix) && Presence.parse(got.substring(prefix.length())
                        .getBytes(StandardCharsets.UTF_8)).equals(Optional.of(new Presence.Status(7, after, true)));
            }
            assertTrue("retained online status of the new incarnation", seen);
        }
    }

    @Test
    public void malformedStatusMessagesAreRejectedAndCountedAndChangeNothing() throws Exception {
        ManagedConnection seven = connect(tmp.newFolder("s7").toPath().resolve("test"), 7);
        Recorder r7 = new Recorder();
        seven.addPresenceListener(r7);
        r7.next("connected");
        try (MqttTestSupport.Observer observer = new MqttTestSupport.Observer(broker.uri(), "x/none")) {
            for (String bad : List.of("{\"node\":9,\"state\":\"online\"}", "garbage", "{\"node\":10,\"incarnation\":5,"
                    + "\"state\":\"online\"}" /* on node 9's topic */, "{\"node\":9,\"incarnation\":-1,\"state\":\"online\"}")) {
                observer.client.publish("edgeha/test/node/9/status", bad.getBytes(StandardCharsets.UTF_8), 1, false)
                        .waitForCompletion(5_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seven.status().rejectedInputs() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        MqttStatus status = seven.status();
        assertEquals(4, status.rejectedInputs());
        assertEquals(Map.of("malformed-status", 4L), status.rejectedByReason());
        assertFalse(r7.last.containsKey(9));
        assertFalse(r7.last.containsKey(10));
    }

    @Test
    public void theIncarnationGrowsAtEveryStartEvenWhenTheClockWouldNot() throws Exception {
        Path store = tmp.newFolder("s7").toPath().resolve("test");
        java.nio.file.Files.createDirectories(store.getParent());
        java.nio.file.Files.writeString(store.resolveSibling("test.incarnation"), Long.toString(Long.MAX_VALUE / 4));
        ManagedConnection first = connect(store, 7);
        long one = first.incarnation();
        assertEquals(Long.MAX_VALUE / 4 + 1, one);
        first.close();
        connections.remove(first);
        ManagedConnection second = connect(store, 7);
        assertEquals(one + 1, second.incarnation());
    }

    @Test
    public void anIncarnationOfNineteenDigitsFromTheFileIsSeenByThePeers() throws Exception {
        Path store = tmp.newFolder("s7").toPath().resolve("test");
        java.nio.file.Files.createDirectories(store.getParent());
        java.nio.file.Files.writeString(store.resolveSibling("test.incarnation"), Long.toString(Long.MAX_VALUE / 4));
        ManagedConnection seven = connect(store, 7);
        ManagedConnection eight = connect(tmp.newFolder("s8").toPath().resolve("test"), 8);
        Recorder r8 = new Recorder();
        eight.addPresenceListener(r8);
        r8.awaitPresence(m -> m.containsKey(7));
        assertEquals(Long.valueOf(Long.MAX_VALUE / 4 + 1), r8.last.get(7));
        assertEquals(0, seven.status().rejectedInputs());
        assertEquals(0, eight.status().rejectedInputs());
    }

    @Test
    public void anIncarnationFileWithNoRoomToGrowStartsFromTheClock() throws Exception {
        Path store = tmp.newFolder("s9").toPath().resolve("test");
        java.nio.file.Files.createDirectories(store.getParent());
        java.nio.file.Files.writeString(store.resolveSibling("test.incarnation"), Long.toString(Long.MAX_VALUE));
        long before = System.currentTimeMillis();
        ManagedConnection nine = connect(store, 9);
        assertTrue(nine.incarnation() >= before && nine.incarnation() < before + 600_000);
    }

    @Test
    public void statusFormatRoundTrips() {
        Presence.Status s = Presence.parse(Presence.format(3, 1234, "offline")).orElseThrow();
        assertEquals(new Presence.Status(3, 1234, false), s);
        assertTrue(Presence.parse(new byte[200]).isEmpty());
        assertEquals(Long.MAX_VALUE, Presence.parse(Presence.format(3, Long.MAX_VALUE, "online")).orElseThrow().incarnation());
        assertTrue("above Long.MAX_VALUE", Presence.parse(
                "{\"node\":3,\"incarnation\":9999999999999999999,\"state\":\"online\"}".getBytes()).isEmpty());
        // found by PresenceFuzzTest: node numbers of ten digits (valid up to Integer.MAX_VALUE) were refused
        assertEquals(new Presence.Status(Integer.MAX_VALUE, Long.MAX_VALUE, true),
                Presence.parse(Presence.format(Integer.MAX_VALUE, Long.MAX_VALUE, "online")).orElseThrow());
        assertTrue(Presence.parse("{\"node\":2147483648,\"incarnation\":1,\"state\":\"online\"}"
                .getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    public void statusesAreReadAsJsonInAnyLayoutAndOlderOnesWithoutSchemaToo() {
        String written = new String(Presence.format(3, 1234, "online"), StandardCharsets.UTF_8);
        assertTrue(written, written.matches("\\{\"schema\":\"edgeha.node-status/1\",\"ts\":[0-9]{13},\"node\":3,"
                + "\"incarnation\":1234,\"state\":\"online\"}"));
        // as another tool re-serialises it: other order, whitespace, an unknown field
        assertEquals(Optional.of(new Presence.Status(3, 1234, true)), Presence.parse(("{\n  \"state\": \"online\",\n"
                + "  \"incarnation\": 1234, \"via\": \"node-red\",\n  \"ts\": 1796669442207, \"node\": 3,\n"
                + "  \"schema\": \"edgeha.node-status/1\"\n}\n").getBytes(StandardCharsets.UTF_8)));
        // retained by a gateway older than the contract
        assertEquals(Optional.of(new Presence.Status(3, 1234, false)), Presence.parse(
                "{\"node\":3,\"incarnation\":1234,\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8)));
        for (String bad : new String[] {"{\"schema\":\"edgeha.group-view/1\",\"node\":3,\"incarnation\":1,\"state\":\"online\"}",
                "{\"node\":3,\"incarnation\":1e999999999,\"state\":\"online\"}",
                "{\"node\":3.5,\"incarnation\":1,\"state\":\"online\"}",
                "{\"node\":\"3\",\"incarnation\":1,\"state\":\"online\"}",
                "{\"node\":3,\"incarnation\":1,\"state\":\"conflict\"}",
                "{\"node\":3,\"incarnation\":0,\"state\":\"online\"}",
                "{\"node\":3,\"incarnation\":1,\"state\":\"online\",\"ts\":\"now\"}",
                "[3, 1, \"online\"]", "{\"node\":3,", "null"}) {
            assertTrue(bad, Presence.parse(bad.getBytes(StandardCharsets.UTF_8)).isEmpty());
        }
        assertEquals(Optional.of(77L), Presence.conflictIncarnation(Presence.format(3, 77, "conflict")));
    }
}
