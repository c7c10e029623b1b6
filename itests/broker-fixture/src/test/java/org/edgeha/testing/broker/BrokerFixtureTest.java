package org.edgeha.testing.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * Runs against whichever broker {@link BrokerFixture#selectedKind()} picks: mosquitto normally, the embedded
 * one with {@code -Pembedded-broker -Dedgeha.test.broker=embedded}.
 */
public class BrokerFixtureTest {

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private BrokerFixture broker;
    private BrokerFixture other;

    @After
    public void closeBrokers() {
        if (broker != null) {
            broker.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    public void deliversQos1PublishToSubscriber() throws Exception {
        broker = BrokerFixture.start();

        assertTrue(broker.isRunning());
        assertEquals(BrokerFixture.selectedKind(), broker.kind());
        assertEquals("tcp://127.0.0.1:" + broker.port(), broker.uri());
        assertPublishSubscribeWorks(broker);
    }

    @Test
    public void connectFailsAfterStopAndWorksAgainAfterRestartOnSamePort() throws Exception {
        broker = BrokerFixture.start();
        int port = broker.port();

        broker.stop();
        assertFalse(broker.isRunning());
        assertConnectFails(broker);

        broker.restart();
        assertTrue(broker.isRunning());
        assertEquals(port, broker.port());
        assertPublishSubscribeWorks(broker);
    }

    @Test
    public void killEndsTheProcessAndRestartServesTheSamePortAgain() throws Exception {
        broker = BrokerFixture.start();
        long pid = broker.pid().orElse(-1);

        broker.kill();
        assertFalse(broker.isRunning());
        if (pid != -1) { // mosquitto: the process itself must be gone, not just the fixture's view of it
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        assertConnectFails(broker);

        broker.restart();
        assertTrue(Ports.isConnectable(broker.port()));
        assertPublishSubscribeWorks(broker);
    }

    @Test
    public void killFromAnotherThreadThenRestart() throws Exception {
        broker = BrokerFixture.start();
        Thread faults = new Thread(() -> {
            broker.kill();
            broker.restart();
        });
        faults.start();
        faults.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse("fault thread still running", faults.isAlive());

        assertTrue(broker.isRunning());
        assertPublishSubscribeWorks(broker);
    }

    @Test
    public void twoFixturesGetDifferentPorts() throws Exception {
        broker = BrokerFixture.start();
        other = BrokerFixture.start();

        assertNotEquals(broker.port(), other.port());
        assertPublishSubscribeWorks(broker);
        assertPublishSubscribeWorks(other);
    }

    @Test
    public void extraConfigLinesReachMosquittoAndCloseDeletesItsFiles() throws Exception {
        Assume.assumeTrue("mosquitto only", BrokerFixture.selectedKind() == BrokerFixture.Kind.MOSQUITTO);
        int secondPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            secondPort = probe.getLocalPort();
        }
        broker = BrokerFixture.builder().configLine("listener " + secondPort + " 127.0.0.1").start();

        assertTrue("second listener from the extra line", Ports.isConnectable(secondPort));
        Path log = broker.logFile().orElseThrow();
        assertTrue(Files.readString(log).contains("running"));

        broker.close();
        assertFalse(Files.exists(log.getParent()));
        assertFalse(Ports.isConnectable(broker.port()));
    }

    /** Subscriber and publisher on separate connections; QoS 1 both ways. */
    private static void assertPublishSubscribeWorks(BrokerFixture fixture) throws Exception {
        String topic = "fixture/test/" + CLIENT_IDS.incrementAndGet();
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttClient subscriber = connect(fixture, received);
        MqttClient publisher = connect(fixture, new LinkedBlockingQueue<>());
        try {
            // subscribe(topic, qos) plus the client callback avoids Paho 1.2.5's listener-subscribe bug.
            subscriber.subscribe(topic, 1).waitForCompletion(5_000);
            publisher.publish(topic, "hello".getBytes(UTF_8), 1, false);

            MqttMessage message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                fail("no message from " + fixture);
            }
            assertEquals("hello", new String(message.getPayload(), UTF_8));
            assertEquals(1, message.getQos());
        } finally {
            disconnect(subscriber);
            disconnect(publisher);
        }
    }

    private static void assertConnectFails(BrokerFixture fixture) throws Exception {
        MqttClient client = new MqttClient(fixture.uri(), "fixture-test-" + CLIENT_IDS.incrementAndGet(),
                new MemoryPersistence());
        try {
            client.connect(options());
            fail("connect succeeded against a stopped broker " + fixture);
        } catch (MqttException expected) {
            // refused: nobody listens on the port
        } finally {
            client.close();
        }
    }

    private static MqttClient connect(BrokerFixture fixture, BlockingQueue<MqttMessage> received)
            throws MqttException {
        MqttClient client = new MqttClient(fixture.uri(), "fixture-test-" + CLIENT_IDS.incrementAndGet(),
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(message);
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
        client.connect(options());
        return client;
    }

    private static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static void disconnect(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
