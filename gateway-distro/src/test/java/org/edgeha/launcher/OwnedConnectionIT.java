package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The MQTT link belongs to the runtime (issue 14, case 3): `ha:close mqtt-default` was accepted and the link never
 * came back (mqtt:status kept saying CONNECTED with "last error: EBADF") until a restart.
 */
public class OwnedConnectionIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;

    @Before
    public void startBroker() {
        broker = BrokerFixture.start();
    }

    @After
    public void stopBroker() {
        broker.close();
    }


    @Test
    public void theShellRefusesToCloseDetachOrControlTheMqttLinkAndItStaysConnected() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=1", "--edgeha.console=true", "--edgeha.broker=" + broker.uri())) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            assertTrue(gateway.output(), gateway.awaitAnswer("mqtt:status", "default: CONNECTED").isPresent());
            for (String command : List.of("ha:close mqtt-default", "ha:detach mqtt-default", "ha:ctrl mqtt-default suspend")) {
                String refused = gateway.awaitAnswer(command, "is owned by the MQTT bridge")
                        .orElseThrow(() -> new AssertionError(command + " was not refused:\n" + gateway.output()));
                assertTrue(refused, refused.contains("refused: use mqtt:status"));
            }
            String list = gateway.awaitAnswer("ha:list", "mqtt-default").orElseThrow();
            assertTrue("still HA-aware, not suspended: " + list, list.contains("OPEN") && !list.contains("SUSPENDED")
                    && !list.contains("not HA-aware"));
            Thread.sleep(2_000);
            assertTrue("the link is still up:\n" + gateway.output(),
                    gateway.awaitAnswer("mqtt:status", "default: CONNECTED").isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
