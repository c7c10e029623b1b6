package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.edgeha.testing.broker.BrokerFixture;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * SPEC 3.5 between real gateways: a plain MQTT client that can publish to the broker but does not hold the domain
 * key sends forged, replayed, truncated, oversized, garbage and misrouted frames to node 1's inbox. Each is
 * rejected and counted under its reason, nothing crashes, the group keeps working, and the key is never logged.
 */
public class ForgedInputIT {

    private static final String INBOX_1 = "edgeha-gw/default/gs/node/1";
    private static final String INBOX_2 = "edgeha-gw/default/gs/node/2";
    /** The transport's default limit ({@code max.message.bytes} of org.edgeha.gs.mqtt). */
    private static final int TRANSPORT_LIMIT = 262_144;
    /** 'E' 'G' version, node, incarnation, counter; then the payload and 32 bytes of HMAC. */
    private static final int HEADER = 3 + 4 + 8 + 8;
    private static final int MAC = 32;
    private static final Pattern REJECTED = Pattern.compile("rejected inputs (\\d+)(?: \\{([^}]*)})?");

    @Rule
    public Timeout timeout = new Timeout(180, TimeUnit.SECONDS);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private GatewayGroup group;
    private MqttClient attacker;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1).watch(broker.uri());
    }

    @After
    public void tearDown() throws Exception {
        if (attacker != null) {
            if (attacker.isConnected()) {
                attacker.disconnect();
            }
            attacker.close();
        }
        group.close();
        broker.close();
    }

    @Test
    public void everyKindOfBadInputIsRejectedAndCountedAndTheGroupKeepsWorking() throws Exception {
        for (int node = 1; node <= 3; node++) {
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 3; node++) {
            expect(node, "gs:join line1", "joining line1");
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        assertEquals("no rejected input before the attack", Map.of(), rejectedByReason(1));

        // Listen to the inboxes of nodes 1 and 2 like any client of the broker can, and make traffic to them.
        attacker = new MqttClient(broker.uri(), "attacker-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        attacker.connect(options);
        List<byte[]> toNode1 = new CopyOnWriteArrayList<>();
        List<byte[]> toNode2 = new CopyOnWriteArrayList<>();
        attacker.subscribe(new MqttSubscription[] {new MqttSubscription(INBOX_1, 1), new MqttSubscription(INBOX_2, 1)},
                new IMqttMessageListener[] {(t, m) -> toNode1.add(m.getPayload()), (t, m) -> toNode2.add(m.getPayload())});
        expect(3, "gs:state line1 captured", "proposed captured");
        group.awaitView("line1", v -> "captured".equals(v.state()), 20, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((toNode1.isEmpty() || toNode2.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse("no protocol message to node 1 seen", toNode1.isEmpty());
        assertFalse("no protocol message to node 2 seen", toNode2.isEmpty());
        byte[] genuine = toNode1.get(0); // node 1 applied the change, so it accepted this frame before
        ByteBuffer header = ByteBuffer.wrap(genuine, 3, HEADER - 3);
        int sender = header.getInt();
        long incarnation = header.getLong();
        long counter = header.getLong();

        // (a) the layout of a real frame from a real sender, newer than anything it sent, sealed with a wrong key
        send(seal(INBOX_1, sender, incarnation, counter + 1_000, "forged vote".getBytes(StandardCharsets.UTF_8),
                "not-the-domain-key"));
        // (b) a genuine frame again
        send(genuine);
        // (c) shorter than header plus MAC
        send(Arrays.copyOf(genuine, HEADER + MAC - 1));
        // (d) above the transport's limit
        byte[] huge = new byte[TRANSPORT_LIMIT + 40_000];
        System.arraycopy(genuine, 0, huge, 0, HEADER);
        send(huge);
        // (e) no envelope at all
        byte[] garbage = new byte[200];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (0x5A ^ i * 31);
        }
        send(garbage);
        // (f) authentic, but for node 2: the MAC covers the topic
        send(toNode2.get(toNode2.size() - 1));

        Map<String, Long> expected = new TreeMap<>(Map.of("bad-mac", 2L, "replayed", 1L, "truncated", 1L,
                "oversized", 1L, "malformed", 1L));
        Map<String, Long> counted = Map.of();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(counted = rejectedByReason(1)).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(group.outputs(), expected, counted);
        System.out.println("ForgedInputIT: node 1 rejected " + counted + " (oversized frame " + huge.length
                + " bytes, replayed frame from node " + sender + " counter " + counter + ")");
        expect(1, "mqtt:status", "rejected inputs 6 ");

        // The engine is alive and the group works: a change proposed on node 1 is applied everywhere under one seq.
        for (int node = 1; node <= 3; node++) {
            assertTrue("gateway " + node + " died:\n" + group.outputs(), group.gateway(node).isAlive());
        }
        expect(1, "gs:state line1 after-attack", "proposed after-attack");
        String approved = group.awaitView("line1",
                v -> "after-attack".equals(v.state()) && v.nodes().equals(List.of(1, 2, 3)), 20, TimeUnit.SECONDS);
        long seq = GatewayGroup.View.parse(approved).seq();
        for (int node = 1; node <= 3; node++) {
            expect(node, "gs:view line1", "seq          " + seq);
            expect(node, "gs:view line1", "state        \"after-attack\"");
            expect(node, "gs:view line1", "members      [1/9999, 2/9999, 3/9999]");
        }
        assertEquals("the genuine traffic after the attack was not taken for replays", expected, rejectedByReason(1));

        // Rejections are logged with their reason; the domain key never is, anywhere.
        String log1 = awaitLog(1, "rejected an input on " + INBOX_1 + ": oversized");
        for (String reason : expected.keySet()) {
            assertTrue(reason + " not logged:\n" + log1, log1.contains("rejected an input on " + INBOX_1 + ": " + reason));
        }
        for (int node = 1; node <= 3; node++) {
            assertFalse("gateway " + node + " logged the domain key", group.log(node).contains(GatewayGroup.DOMAIN_KEY));
            assertFalse("gateway " + node + " printed the domain key",
                    group.gateway(node).output().contains(GatewayGroup.DOMAIN_KEY));
        }
    }


    /** Types {@code command} at gateway {@code node} until a line with {@code expected} appears; fails otherwise. */
    private void expect(int node, String command, String expected) throws Exception {
        if (group.ask(node, command, expected).isEmpty()) {
            throw new AssertionError("gateway " + node + ": '" + command + "' never printed '" + expected + "'\n"
                    + group.outputs());
        }
    }
    private void send(byte[] frame) throws Exception {
        attacker.publish(INBOX_1, new MqttMessage(frame, 1, false, null));
    }

    /** An envelope as the transport writes it, with HMAC-SHA256 over topic, 0x00, header and payload. */
    private static byte[] seal(String topic, int node, long incarnation, long counter, byte[] payload, String key)
            throws Exception {
        ByteBuffer out = ByteBuffer.allocate(HEADER + payload.length + MAC);
        out.put((byte) 'E').put((byte) 'G').put((byte) 1).putInt(node).putLong(incarnation).putLong(counter).put(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(topic.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(out.array(), 0, HEADER + payload.length);
        out.put(mac.doFinal());
        return out.array();
    }

    /** The {@code rejected inputs N {reason=count, ...}} of {@code mqtt:status}; checks that N is their sum. */
    private Map<String, Long> rejectedByReason(int node) throws Exception {
        Optional<String> line = group.ask(node, "mqtt:status", "rejected inputs");
        assertTrue(group.outputs(), line.isPresent());
        Matcher m = REJECTED.matcher(line.get());
        assertTrue(line.get(), m.find());
        Map<String, Long> counts = new TreeMap<>();
        if (m.group(2) != null) {
            for (String entry : m.group(2).split(",\\s*")) {
                String[] kv = entry.split("=");
                counts.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        assertEquals(line.get(), Long.parseLong(m.group(1)), counts.values().stream().mapToLong(Long::longValue).sum());
        return counts;
    }

    /** The log file is written by a handler of its own: give it a moment to show a line. */
    private String awaitLog(int node, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String log = group.log(node);
        while (!log.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = group.log(node);
        }
        return log;
    }
}
