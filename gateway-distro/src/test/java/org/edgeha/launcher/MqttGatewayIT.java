package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The gateway's MQTT connection, in the real jar against a private Mosquitto. */
public class MqttGatewayIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private MqttClient observer;
    private final BlockingQueue<String> status = new LinkedBlockingQueue<>();

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        observe();
    }

    private void observe() throws Exception {
        observer = new MqttClient(broker.uri(), "observer-" + System.nanoTime(), new MemoryPersistence());
        observer.connect(new MqttConnectionOptions());
        observer.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
            new org.eclipse.paho.mqttv5.common.MqttSubscription("edgeha/default/node/+/status", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (topic, message) -> status.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8))});
    }

    @After
    public void tearDown() throws Exception {
        if (observer.isConnected()) {
            observer.disconnect();
        }
        observer.close();
        broker.close();
    }

    private File home(String name) throws Exception {
        File home = tmp.newFolder(name);
        File etc = new File(home, "etc");
        etc.mkdirs();
        // Quick failure detection for the test: keepalive 2 s, will after 1 s more.
        Files.writeString(etc.toPath().resolve("org.edgeha.mqtt.cfg"), "keepalive.s=2\nwill.delay.s=1\n");
        return home;
    }

    private String awaitStatus(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; System.nanoTime() < deadline;) {
            line = status.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    @Test
    public void theGatewayAnnouncesItselfAndItsWillMarksItOfflineAfterKillMinus9() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home("g3"),
                "--edgeha.node=3", "--edgeha.console=false", "--edgeha.broker=" + broker.uri())) {
            String online = awaitStatus("\"state\":\"online\"");
            assertTrue("presence published; gateway output:\n" + gateway.output(), online != null);
            assertTrue(online, online.matches("edgeha/default/node/3/status \\{\"schema\":\"edgeha\\.node-status/1\",\"ts\":\\d+,"
                    + "\"node\":3,\"incarnation\":\\d+,\"state\":\"online\"}"));

            gateway.kill();
            String offline = awaitStatus("\"state\":\"offline\"");
            assertTrue("the will marks it offline after keepalive x 1.5 + will delay", offline != null);
        }
    }

    @Test
    public void theGatewayStartsWithoutABrokerAndConnectsWhenOneAppears() throws Exception {
        broker.stop();
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home("g4"),
                "--edgeha.node=4", "--edgeha.console=false", "--edgeha.broker=" + broker.uri())) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.startsWith("EdgeHA gateway ready: node 4"), 60,
                    TimeUnit.SECONDS).isPresent());
            broker.restart();
            observer.close();
            observe(); // presence is retained: it arrives whenever we subscribe
            assertTrue("connected once the broker is there; output:\n" + gateway.output(),
                    awaitStatus("\"node\":4,\"incarnation\":") != null);
            gateway.terminate();
            assertEquals(Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
