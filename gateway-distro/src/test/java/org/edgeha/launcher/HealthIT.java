package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.edgeha.testing.broker.BrokerFixture;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The health feature (features/health.json) on a real gateway process and its own Mosquitto: installed from the
 * distro's repository after logging, with the http feature on a free port before it (or after it); {@code GET
 * /system/health} answers 200 and the health JSON with EdgeHA's checks; a fresh MQTT 5 subscriber receives the
 * retained {@code edgeha/{domain}/node/1/health} with content type application/json and payload format indicator
 * UTF-8; when the broker is killed the MQTT check turns CRITICAL over HTTP (503), and when it is back the checks are OK
 * again and a fresh retained message is on the broker.
 */
public class HealthIT {

    private static final long TIMEOUT_S = 60;
    private static final List<String> EDGEHA_CHECKS = List.of("MQTT link connected",
            "Group Services epoch established", "MQTT store below limit", "Connections recovered within budget",
            "Bundles started");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** An HTTP answer. */
    private record Answer(int status, String contentType, String body) {

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        Map<String, String> checks() {
            return json().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                    .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        }
    }

    /** A retained message a fresh MQTT 5 subscriber received. */
    private record Retained(MqttMessage message, JsonObject json) {
    }

    @Test
    public void healthOverHttpAndMqttFollowsTheBroker() throws Exception {
        String domain = "health" + ProcessHandle.current().pid();
        String topic = "edgeha/" + domain + "/node/1/health";
        Path home = tmp.newFolder("home").toPath();
        int port = freePort();
        try (BrokerFixture broker = BrokerFixture.start();
                GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx64m"), "--edgeha.home=" + home,
                        "--edgeha.console=true", "--edgeha.node=1", "--edgeha.domain=" + domain,
                        "--edgeha.broker=" + broker.uri())) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:install logging", "installed org.edgeha:logging:").isPresent());
            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:install http", "installed org.edgeha:http:").isPresent());
            // The feature's configuration says 8181; a test never binds a fixed port
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.apache.felix.http"
                    + " org.osgi.service.http.port " + port, "set org.osgi.service.http.port").isPresent());
            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:install health", "installed org.edgeha:health:").isPresent());

            // HTTP: 200 and the JSON with EdgeHA's checks, all OK
            Answer ok = awaitHealth(port, a -> a.status == 200 && a.json().getString("status").equals("OK"),
                    gateway);
            assertTrue(ok.contentType, ok.contentType.startsWith("application/json"));
            JsonObject json = ok.json();
            assertEquals("edgeha.node-health/1", json.getString("schema"));
            assertEquals(1, json.getInt("node"));
            assertTrue(json.getJsonNumber("ts").longValue() > 0);
            assertTrue(ok.checks().keySet().toString(), ok.checks().keySet().containsAll(EDGEHA_CHECKS));
            assertTrue(ok.body, ok.checks().values().stream().allMatch("OK"::equals));
            assertTrue(gateway.output(), gateway.awaitAnswer("health:list", "MQTT link connected").isPresent());

            // MQTT: a fresh subscriber receives the retained message, as JSON by MQTT 5's properties
            Retained first = retained(broker.uri(), topic, r -> r.json.getString("status").equals("OK"));
            assertTrue(first.message.isRetained());
            assertEquals(1, first.message.getQos());
            MqttProperties props = first.message.getProperties();
            assertEquals("application/json", props.getContentType());
            assertTrue("payload format indicator UTF-8", props.getPayloadFormat());
            assertEquals("edgeha.node-health/1", first.json.getString("schema"));
            assertTrue(first.json.getJsonNumber("incarnation").longValue() > 0);
            assertTrue(first.json.toString(), first.json.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                    .map(c -> c.getString("name")).toList().containsAll(EDGEHA_CHECKS));

            // The broker dies: the MQTT link check is CRITICAL over HTTP, and the answer is 503
            broker.kill();
            Answer down = awaitHealth(port, a -> "CRITICAL".equals(a.checks().get("MQTT link connected")), gateway);
            assertEquals(down.body, 503, down.status);
            assertEquals(down.body, "CRITICAL", down.json().getString("status"));

            // Back: OK again over HTTP, and a fresh retained message (published after the reconnect) on the broker
            long back = System.currentTimeMillis();
            broker.restart();
            awaitHealth(port, a -> a.status == 200 && "OK".equals(a.checks().get("MQTT link connected")), gateway);
            Retained fresh = retained(broker.uri(), topic, r -> r.json.getJsonNumber("ts").longValue() >= back
                    && "OK".equals(r.json.getString("status")));
            assertTrue(fresh.message.isRetained());
            assertEquals("application/json", fresh.message.getProperties().getContentType());
        }
    }

    /**
     * Health before http: {@code health:list} is described and answers, {@code /system/health} appears when http is
     * installed afterwards; removing the health feature clears the retained message (a gateway without the feature
     * publishes no health) and leaves http serving (404 for the path).
     */
    @Test
    public void httpAfterHealthAndRemovalClearsTheMessage() throws Exception {
        String domain = "healthorder" + ProcessHandle.current().pid();
        String topic = "edgeha/" + domain + "/node/1/health";
        Path home = tmp.newFolder("home").toPath();
        int port = freePort();
        try (BrokerFixture broker = BrokerFixture.start();
                GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx64m"), "--edgeha.home=" + home,
                        "--edgeha.console=true", "--edgeha.node=1", "--edgeha.domain=" + domain,
                        "--edgeha.broker=" + broker.uri())) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            assertTrue(gateway.awaitAnswer("feature:install logging", "installed org.edgeha:logging:").isPresent());
            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:install health", "installed org.edgeha:health:").isPresent());
            assertNotNull(retained(broker.uri(), topic, r -> r.json.getString("status").equals("OK")));
            assertTrue(gateway.output(), gateway.awaitAnswer("help health:list",
                    "Runs this gateway's health checks").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("health:list now", "usage: health:list").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("health:list",
                    l -> l.startsWith("OK") && l.contains("Group Services epoch established")).isPresent());
            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:install http", "installed org.edgeha:http:").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.apache.felix.http"
                    + " org.osgi.service.http.port " + port, "set org.osgi.service.http.port").isPresent());
            Answer ok = awaitHealth(port, a -> a.status == 200, gateway);
            assertTrue(ok.checks().keySet().containsAll(EDGEHA_CHECKS));

            assertTrue(gateway.output(),
                    gateway.awaitAnswer("feature:remove health", "removed org.edgeha:health").isPresent());
            assertTrue("the retained health message is cleared", awaitNoRetained(broker.uri(), topic));
            // http keeps running (the servlet API it shares with health stays): the path is simply gone
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            int status = -1;
            while (System.nanoTime() < deadline && status != 404) {
                try {
                    status = get(port).status;
                } catch (IOException e) {
                    status = -1;
                }
                Thread.sleep(300);
            }
            assertEquals(gateway.output(), 404, status);
        }
    }

    /**
     * Without the logging feature Felix HC's SLF4J 1.7 is missing: the feature is refused with nothing changed, naming
     * {@code org.slf4j} and the feature that provides it, and no health message is published.
     */
    @Test
    public void refusedWithoutLoggingNamesIt() throws Exception {
        String domain = "healthnolog" + ProcessHandle.current().pid();
        Path home = tmp.newFolder("home").toPath();
        try (BrokerFixture broker = BrokerFixture.start();
                GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx64m"), "--edgeha.home=" + home,
                        "--edgeha.console=true", "--edgeha.node=1", "--edgeha.domain=" + domain,
                        "--edgeha.broker=" + broker.uri())) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            int before = gateway.lineCount();
            gateway.command("feature:install health");
            String refused = gateway.awaitLineAfter(before, l -> l.contains("feature:install:"), 30, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError(gateway.output()));
            assertTrue(refused, refused.contains("refused, nothing changed") && refused.contains("org.slf4j")
                    && refused.contains("feature:install logging"));
            assertTrue(gateway.awaitAnswer("feature:list", l -> l.contains("org.edgeha:health")
                    && l.contains("available")).isPresent());
            assertTrue("no health message", awaitNoRetained(broker.uri(), "edgeha/" + domain + "/node/1/health"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Answer get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/system/health").toURL()
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, String.valueOf(c.getContentType()), body);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Asks {@code /system/health} until the answer is JSON and matches; fails after the timeout with the last one. */
    private static Answer awaitHealth(int port, Predicate<Answer> match, GatewayProcess gateway) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                Answer a = get(port);
                last = a.status + " " + a.body;
                if (a.contentType.startsWith("application/json") && match.test(a)) {
                    return a;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no matching /system/health answer within " + TIMEOUT_S + " s; last: " + last
                + "\n" + gateway.output());
    }

    /** Subscribes afresh until the retained message on the topic matches. */
    private static Retained retained(String broker, String topic, Predicate<Retained> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        String last = "none";
        while (System.nanoTime() < deadline) {
            MqttMessage m = firstRetained(broker, topic);
            if (m != null) {
                Retained r = new Retained(m, Json.createReader(new StringReader(
                        new String(m.getPayload(), StandardCharsets.UTF_8))).readObject());
                last = r.json.toString();
                if (match.test(r)) {
                    return r;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no matching retained message on " + topic + "; last: " + last);
    }

    private static boolean awaitNoRetained(String broker, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (firstRetained(broker, topic) == null) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** A fresh MQTT 5 session's retained message on the topic (waits up to 2 s), or null. */
    private static MqttMessage firstRetained(String broker, String topic) throws Exception {
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttClient client = new MqttClient(broker, "health-it-" + System.nanoTime(), new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
            client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)},
                    new IMqttMessageListener[] {(t, m) -> received.add(m)});
            MqttMessage m = received.poll(2, TimeUnit.SECONDS);
            return m != null && m.isRetained() && m.getPayload().length > 0 ? m : null;
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
