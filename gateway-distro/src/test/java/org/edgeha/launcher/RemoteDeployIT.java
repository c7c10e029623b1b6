package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.edgeha.management.signing.RequestSigner;
import org.edgeha.testing.broker.BrokerFixture;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Remote deployment over MQTT (SPEC 4.3) on three real gateways of one domain that trust the same Ed25519 key: a
 * signed bundle published to {@code edgeha/default/manage/all/request} is installed and started on every gateway,
 * each replying once on the response topic; an unsigned, a tampered and a replayed request are refused by every
 * gateway; a new signed request for the same bundle updates it.
 *
 * <p>The key, the gateways' {@code trusted.keys} line, the deployment and the removal come from the operators'
 * command ({@code java -jar edgeha-gateway.jar sign keygen|request}, README), run as its own process; the other
 * requests are signed in this JVM with the same code ({@link RequestSigner}), for speed and to tamper with them.
 */
public class RemoteDeployIT {

    private static final String ALL = "edgeha/default/manage/all/request";
    private static final String REPLIES = "test/manage/replies";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private GatewayGroup group;
    private MqttClient operator;
    private PrivateKey key;
    /** The operator's working folder: ops.pem */
    private Path operatorFolder;
    private final List<Reply> replies = new CopyOnWriteArrayList<>();

    record Reply(String correlation, String json) {
        int node() {
            return Integer.parseInt(json.replaceAll("^\\{\"schema\":\"edgeha\\.manage-reply/1\",\"ts\":\\d+,\"node\":(\\d+),.*$", "$1"));
        }

        boolean ok() {
            return json.contains("\"ok\":true");
        }
    }

    private static final String NODE2 = "edgeha/default/manage/2/request";

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        operatorFolder = tmp.newFolder("operator").toPath();
        // as the README has it: the command's output is the gateways' configuration file
        String trusted = SignTool.ok(operatorFolder, "keygen", "--key", "ops.pem", "--key-id", "ops").out();
        key = RequestSigner.readPrivateKey(Files.readString(operatorFolder.resolve("ops.pem")));
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1);
        for (int node = 1; node <= 3; node++) {
            Path etc = group.home(node).resolve("etc");
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("org.edgeha.management.cfg"), trusted);
        }
        Path kept = Files.createDirectories(group.home(3).resolve("data/management/bundles"));
        Files.write(kept.resolve("org.example.corrupt.jar"), "not a jar at all".getBytes(StandardCharsets.UTF_8));
        operator = new MqttClient(broker.uri(), "operator-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        operator.connect(options);
        IMqttMessageListener listener = (topic, m) -> {
            byte[] c = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
            replies.add(new Reply(c == null ? "" : new String(c, StandardCharsets.UTF_8),
                    new String(m.getPayload(), StandardCharsets.UTF_8)));
        };
        operator.subscribe(new MqttSubscription[] {new MqttSubscription(REPLIES, 1)}, new IMqttMessageListener[] {listener});
    }

    @After
    public void tearDown() throws Exception {
        if (operator != null) {
            operator.disconnect();
            operator.close();
        }
        if (group != null) {
            group.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void publish(String topic, Map<String, String> properties, byte[] payload, String correlation)
            throws Exception {
        MqttProperties p = new MqttProperties();
        List<UserProperty> user = new ArrayList<>();
        properties.forEach((k, v) -> user.add(new UserProperty(k, v)));
        p.setUserProperties(user);
        p.setResponseTopic(REPLIES);
        p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        operator.publish(topic, new MqttMessage(payload, 1, false, p));
    }

    private List<Reply> repliesTo(String correlation) {
        return replies.stream().filter(r -> r.correlation().equals(correlation)).toList();
    }

    private List<Reply> awaitReplies(String correlation, int count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (repliesTo(correlation).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return repliesTo(correlation);
    }

    /** The user properties {@code java -jar edgeha-gateway.jar sign request ...} prints, signed with ops.pem. */
    private Map<String, String> signWithTheCommand(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("request", "--key", "ops.pem", "--key-id", "ops"));
        all.addAll(List.of(args));
        return SignCommandTest.properties(SignTool.ok(operatorFolder, all.toArray(String[]::new)).out());
    }

    /** Until gateway {@code node} answers a signed list on its own topic: its management subscription is in place. */
    private void awaitManaged(int node) throws Exception {
        for (int attempt = 0; attempt < 60; attempt++) {
            String correlation = "probe-" + node + "-" + attempt;
            publish("edgeha/default/manage/" + node + "/request",
                    RequestSigner.sign(key, "ops", "list", "bundle", "-", Integer.toString(node), new byte[0]), new byte[0],
                    correlation);
            if (!awaitReplies(correlation, 1, 1000).isEmpty()) {
                return;
            }
        }
        throw new AssertionError("gateway " + node + " never answered a list request\n" + group.outputs());
    }

    @Test
    public void aSignedBundleReachesEveryGatewayAndUnsignedTamperedOrReplayedOnesAreRefusedEverywhere() throws Exception {
        Path jar = Path.of(System.getProperty("edgeha.example.strategy.jar"));
        String bsn;
        try (JarFile j = new JarFile(jar.toFile())) {
            bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
        }
        byte[] bytes = Files.readAllBytes(jar);
        for (int node = 1; node <= 3; node++) {
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 3; node++) {
            awaitManaged(node);
        }
        // gateway 3 started with a kept remote bundle that is garbage (a corrupt data/ store): reported and moved aside
        Path corrupt = group.home(3).resolve("data/management/bundles/org.example.corrupt.jar");
        long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!group.log(3).contains("Remote management: discarded org.example.corrupt.jar")
                && System.nanoTime() < logDeadline) {
            Thread.sleep(50); // the log is written by the log service's own thread
        }
        assertTrue(group.log(3) + "\n---- console ----\n" + group.gateway(3).output(),
                group.log(3).contains("Remote management: discarded org.example.corrupt.jar"));
        assertFalse(Files.exists(corrupt));
        assertTrue(Files.exists(corrupt.resolveSibling("org.example.corrupt.jar.discarded")));

        // unsigned: the signed properties without the signature
        Map<String, String> unsigned = new HashMap<>(RequestSigner.sign(key, "ops", "install", "bundle", bsn, "all", bytes));
        unsigned.remove("signature");
        publish(ALL, unsigned, bytes, "unsigned");
        // tampered: a correctly signed request whose payload changed on the way
        byte[] tampered = bytes.clone();
        tampered[tampered.length / 2] ^= 1;
        publish(ALL, RequestSigner.sign(key, "ops", "install", "bundle", bsn, "all", bytes), tampered, "tampered");
        for (String c : List.of("unsigned", "tampered")) {
            List<Reply> refused = awaitReplies(c, 3, 20_000);
            assertEquals(c + ": " + refused + "\n" + group.outputs(), 3, refused.size());
            assertEquals(List.of(1, 2, 3), refused.stream().map(Reply::node).sorted().toList());
            for (Reply r : refused) {
                assertFalse(r.toString(), r.ok());
                assertTrue(r.toString(), r.json().contains("refused (" + c + ")"));
            }
        }
        publish(ALL, RequestSigner.sign(key, "ops", "list", "bundle", "-", "all", new byte[0]), new byte[0], "list-before");
        List<Reply> before = awaitReplies("list-before", 3, 20_000);
        assertEquals(before.toString(), 3, before.size());
        for (Reply r : before) {
            assertTrue(r.toString(), r.ok());
            assertFalse("nothing was installed: " + r, r.json().contains(bsn));
        }
        for (int node = 1; node <= 3; node++) {
            assertTrue(group.log(node), group.log(node).contains("refused a request on " + ALL + " (unsigned)"));
            assertTrue(group.log(node), group.log(node).contains("refused a request on " + ALL + " (tampered)"));
        }

        // signed by the operators' command, which takes the bundle's name from the jar
        Map<String, String> signed = signWithTheCommand("--op", "install", "--target", "all", "--file", jar.toString());
        assertEquals(bsn, signed.get("name"));
        long start = System.nanoTime();
        publish(ALL, signed, bytes, "deploy");
        List<Reply> deployed = awaitReplies("deploy", 3, 30_000);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(deployed + "\n" + group.outputs(), 3, deployed.size());
        System.out.println("RemoteDeployIT: signed deploy of " + bytes.length + " bytes to 3 gateways: " + millis
                + " ms from publish to the third reply");
        assertEquals(List.of(1, 2, 3), deployed.stream().map(Reply::node).sorted().toList());
        for (Reply r : deployed) {
            assertTrue(r.toString(), r.ok());
            assertTrue(r.toString(), r.json().contains(bsn) && r.json().contains("installed"));
        }
        for (int node = 1; node <= 3; node++) {
            Optional<String> line = group.ask(node, "lb -s", bsn);
            assertTrue(group.outputs(), line.isPresent());
            assertTrue(line.get(), line.get().contains("Active"));
        }

        // the same signed request again: a replay, refused everywhere
        publish(ALL, signed, bytes, "replay");
        List<Reply> replayed = awaitReplies("replay", 3, 20_000);
        assertEquals(replayed.toString(), 3, replayed.size());
        for (Reply r : replayed) {
            assertTrue(r.toString(), !r.ok() && r.json().contains("refused (replayed)"));
        }
        // a fresh signed install of the same bundle updates it in place
        publish(ALL, RequestSigner.sign(key, "ops", "update", "bundle", bsn, "all", bytes), bytes, "update");
        List<Reply> updated = awaitReplies("update", 3, 20_000);
        assertEquals(updated.toString(), 3, updated.size());
        for (Reply r : updated) {
            assertTrue(r.toString(), r.ok() && r.json().contains("updated") && r.json().contains("Active"));
        }

        // a power cut: the remotely installed bundle comes back (the framework cache is rebuilt at every start)
        group.kill(2);
        group.start(2, broker.uri());
        Optional<String> back = group.ask(2, "lb -s", bsn);
        assertTrue("the remote bundle is gone after a restart\n" + group.outputs(), back.isPresent());
        assertTrue(back.get(), back.get().contains("Active"));
        long restoredDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!group.log(2).contains("Remote management: restored " + bsn) && System.nanoTime() < restoredDeadline) {
            Thread.sleep(50);
        }
        assertTrue(group.log(2), group.log(2).contains("Remote management: restored " + bsn));
        awaitManaged(2);
        // removed remotely, it stays removed across a restart
        publish(NODE2, signWithTheCommand("--op", "remove", "--name", bsn, "--target", "2"), new byte[0], "remove");
        List<Reply> removed = awaitReplies("remove", 1, 20_000);
        assertEquals(removed.toString(), 1, removed.size());
        assertTrue(removed.toString(), removed.get(0).ok() && removed.get(0).json().contains("uninstalled"));
        group.kill(2);
        group.start(2, broker.uri());
        awaitManaged(2);
        publish(NODE2, RequestSigner.sign(key, "ops", "list", "bundle", "-", "2", new byte[0]), new byte[0], "list-after");
        List<Reply> listed = awaitReplies("list-after", 1, 20_000);
        assertEquals(listed.toString(), 1, listed.size());
        assertTrue(listed.toString(), listed.get(0).ok() && listed.get(0).json().contains("org.edgeha.gateway"));
        assertFalse("a bundle removed remotely came back after a restart: " + listed, listed.get(0).json().contains(bsn));

        Thread.sleep(1000);
        assertEquals("exactly one reply per gateway", 3, repliesTo("deploy").size());
        assertEquals(3, repliesTo("replay").size());
        assertEquals(3, repliesTo("update").size());
        assertEquals(3, repliesTo("unsigned").size());
        assertEquals(3, repliesTo("tampered").size());
    }
}
