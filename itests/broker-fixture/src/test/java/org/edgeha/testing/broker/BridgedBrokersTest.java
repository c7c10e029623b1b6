package org.edgeha.testing.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.edgeha.testing.broker.BridgedBrokers.BridgeProtocol;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/** Paho MQTT 5 clients on each broker check what crosses the bridge (and {@link BridgedBrokers#awaitBridged}). */
public class BridgedBrokersTest {

    private static final String TOPICS = "edgeha/test/#";
    private static final long QUIET_MILLIS = 1_000;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<MqttClient> clients = new ArrayList<>();
    private BridgedBrokers brokers;
    private Endpoint onA;
    private Endpoint onB;

    @Before
    public void requireMosquitto() {
        Assume.assumeTrue("mosquitto only", BrokerFixture.selectedKind() == BrokerFixture.Kind.MOSQUITTO);
    }

    @After
    public void closeAll() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
        clients.clear();
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    public void messagesCrossTheBridgeBothWaysExactlyOnce() throws Exception {
        start(BridgeProtocol.MQTT_5);
        assertEquals("tcp://127.0.0.1:" + brokers.brokerA().port(), brokers.uriA());
        assertEquals("tcp://127.0.0.1:" + brokers.brokerB().port(), brokers.uriB());

        onA.publish("edgeha/test/a", "from A");
        onB.publish("edgeha/test/b", "from B");

        // Each side gets its own message and the other's, once: nothing echoes back over the bridge.
        onA.assertReceives("edgeha/test/a from A", "edgeha/test/b from B");
        onB.assertReceives("edgeha/test/a from A", "edgeha/test/b from B");
        onA.assertQuiet();
        onB.assertQuiet();
    }

    @Test
    public void mqtt5BridgeKeepsUserPropertiesAndMqtt311StripsThem() throws Exception {
        start(BridgeProtocol.MQTT_5);
        assertEquals("[k=v]", userPropertiesCrossing());
        closeAll();

        start(BridgeProtocol.MQTT_3_1_1);
        assertEquals("[]", userPropertiesCrossing());
    }

    @Test
    public void cutBridgeStopsTrafficAndHealBridgeRestoresItMqtt5LosesWhatAPublishedMeanwhile() throws Exception {
        start(BridgeProtocol.MQTT_5);
        cutPublishOnBothSidesAndHeal();

        onA.assertReceives("edgeha/test/b during cut"); // queued by B, which keeps its side of the session
        onB.assertQuiet(); // A ended the bridge's session when the link dropped: its message is gone
        onA.publish("edgeha/test/a", "after heal");
        onB.assertReceives("edgeha/test/a after heal");
    }

    @Test
    public void cutBridgeWithMqtt311DeliversWhatBothSidesPublishedMeanwhile() throws Exception {
        start(BridgeProtocol.MQTT_3_1_1);
        cutPublishOnBothSidesAndHeal();

        onA.assertReceives("edgeha/test/b during cut");
        onB.assertReceives("edgeha/test/a during cut");
    }

    /** Publishes on both sides while cut; nothing crosses; then heals and waits until the bridge works. */
    private void cutPublishOnBothSidesAndHeal() throws Exception {
        brokers.cutBridge();
        onA.publish("edgeha/test/a", "during cut");
        onB.publish("edgeha/test/b", "during cut");

        onA.assertReceives("edgeha/test/a during cut"); // local delivery goes on
        onB.assertReceives("edgeha/test/b during cut");
        onA.assertQuiet();
        onB.assertQuiet();
        try {
            brokers.awaitBridged(Duration.ofSeconds(1));
            fail("bridged while cut");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("A to B"));
        }
        assertTrue(onA.client.isConnected() && onB.client.isConnected());

        brokers.healBridge();
        brokers.awaitBridged(Duration.ofSeconds(10));
    }

    @Test
    public void bridgeComesBackAfterEitherBrokerIsKilledAndRestarted() throws Exception {
        start(BridgeProtocol.MQTT_5);
        brokers.brokerA().kill();
        brokers.brokerA().restart();
        brokers.awaitBridged(Duration.ofSeconds(10));

        brokers.brokerB().kill();
        brokers.brokerB().restart();
        brokers.awaitBridged(Duration.ofSeconds(10));

        Endpoint newOnA = connect(brokers.uriA());
        Endpoint newOnB = connect(brokers.uriB());
        newOnA.publish("edgeha/test/a", "after restarts");
        newOnB.assertReceives("edgeha/test/a after restarts");
        newOnB.publish("edgeha/test/b", "after restarts");
        newOnA.assertReceives("edgeha/test/a after restarts", "edgeha/test/b after restarts");
    }

    private void start(BridgeProtocol protocol) throws MqttException {
        brokers = BridgedBrokers.start(protocol);
        onA = connect(brokers.uriA());
        onB = connect(brokers.uriB());
    }

    /** Publishes on A with a user property; returns the user properties the subscriber on B sees. */
    private String userPropertiesCrossing() throws Exception {
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(List.of(new UserProperty("k", "v")));
        onA.client.publish("edgeha/test/props", new MqttMessage("p".getBytes(UTF_8), 1, false, properties));
        MqttMessage message = onB.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull("nothing crossed", message);
        List<String> seen = new ArrayList<>();
        for (UserProperty p : message.getProperties().getUserProperties()) {
            seen.add(p.getKey() + "=" + p.getValue());
        }
        return seen.toString();
    }

    private Endpoint connect(String uri) throws MqttException {
        MqttClient client = new MqttClient(uri, "bridged-test-" + IDS.incrementAndGet(), new MemoryPersistence());
        clients.add(client);
        Endpoint endpoint = new Endpoint(client);
        client.setCallback(endpoint);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        client.connect(options);
        client.subscribe(TOPICS, 1).waitForCompletion(5_000);
        return endpoint;
    }

    /** One client on one broker, subscribed to {@link #TOPICS}; records "topic payload" of what arrives. */
    private static final class Endpoint implements MqttCallback {
        final MqttClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();

        Endpoint(MqttClient client) {
            this.client = client;
        }

        void publish(String topic, String payload) throws MqttException {
            client.publish(topic, payload.getBytes(UTF_8), 1, false);
        }

        /** The next messages are these ("topic payload"), in any order. */
        void assertReceives(String... expected) throws InterruptedException {
            List<String> actual = new ArrayList<>();
            for (int i = 0; i < expected.length; i++) {
                actual.add(received.poll(10, TimeUnit.SECONDS));
            }
            List<String> wanted = new ArrayList<>(List.of(expected));
            Collections.sort(wanted);
            actual.sort(Comparator.nullsLast(Comparator.naturalOrder()));
            assertEquals(wanted, actual);
        }

        void assertQuiet() throws InterruptedException {
            assertNull(received.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), UTF_8));
            messages.add(message);
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
    }
}
