package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A broker that speaks MQTT 3.1.1 only (Moquette 0.17): the gateway says once, as an ERROR, that it needs MQTT 5, and
 * waits a minute before it tries again (issue 14, case 6: it printed "ready", then retried 2.7 times a second forever,
 * logging "Invalid Return code (reason 50001)" and three WARN lines every 25 s).
 */
public class MqttVersionIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Server broker;
    private int port;

    @Before
    public void startMqtt311Broker() throws Exception {
        Properties config = new Properties();
        config.setProperty("host", "127.0.0.1");
        config.setProperty("port", "0");
        config.setProperty("websocket_port", "disabled");
        config.setProperty("persistence_enabled", "false");
        config.setProperty("allow_anonymous", "true");
        broker = new Server();
        broker.startServer(new MemoryConfig(config));
        port = broker.getPort();
    }

    @After
    public void stopBroker() {
        if (broker != null) {
            broker.stopServer();
        }
    }

    @Test
    public void aBrokerWithoutMqtt5GivesOneErrorLineAndAMinuteOfQuiet() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=1", "--edgeha.console=false", "--edgeha.broker=tcp://127.0.0.1:" + port)) {
            String error = gateway.awaitLine(line -> line.contains("does not speak MQTT 5"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("no MQTT 5 error; output:\n" + gateway.output()));
            assertTrue(error, error.contains("ERROR"));
            assertTrue(error, error.contains("tcp://127.0.0.1:" + port));
            assertTrue(error, error.contains("EdgeHA needs MQTT 5"));
            assertTrue(error, error.contains("next try in 60 s"));
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            int linesAfterErrorAndReady = gateway.lineCount(); // before them: the expected start-up warnings
            Thread.sleep(20_000); // a third of the back-off: the old gateway retried about 54 times meanwhile
            List<String> later = gateway.output().lines().skip(linesAfterErrorAndReady).toList();
            assertEquals("nothing more in 20 s: " + later, List.of(), later.stream()
                    .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("50001")).toList());
            assertEquals("one ERROR line so far:\n" + gateway.output(), 1,
                    gateway.output().lines().filter(l -> l.contains("does not speak MQTT 5")).count());
            assertTrue(gateway.isAlive());
            gateway.terminate();
            assertEquals(java.util.Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
