package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The gs: commands at a real gateway's console: the shell's provider keeps its membership between commands. */
public class GroupServicesGatewayIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Optional<String> ask(GatewayProcess gateway, String command, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            int before = gateway.lineCount();
            gateway.command(command);
            Optional<String> line = gateway.awaitLineAfter(before, l -> l.contains(expected), 2, TimeUnit.SECONDS);
            if (line.isPresent()) {
                return line;
            }
        }
        return Optional.empty();
    }

    @Test
    public void theGsCommandsAnswerAsSoonAsTheReadyLineIsPrinted() throws Exception {
        File home = tmp.newFolder("ready");
        // With the MQTT transport the engine moves onto it just after start-up; the ready line waits for that.
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1")) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .isPresent());
            int before = gateway.lineCount();
            gateway.command("gs:groups"); // once: no retry
            Optional<String> answer = gateway.awaitLineAfter(before, l -> l.contains("no groups")
                    || l.contains("CommandNotFound") || l.contains("not found"), 10, TimeUnit.SECONDS);
            assertTrue("answered; output:\n" + gateway.output(), answer.isPresent());
            assertTrue(answer.get(), answer.get().contains("no groups on node 1"));
        }
    }

    @Test
    public void aGroupJoinedAtTheConsoleFormsAndTakesStateChanges() throws Exception {
        File home = tmp.newFolder("g");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1")) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .isPresent());
            assertTrue("join accepted; output:\n" + gateway.output(),
                    ask(gateway, "gs:join line1 running", "joining line1").isPresent());
            boolean formed = ask(gateway, "gs:groups", "\"running\"").isPresent();
            assertTrue("group formed; output:\n" + gateway.output(), formed);
            gateway.command("gs:state line1 stopped");
            boolean changed = ask(gateway, "gs:view line1", "state        \"stopped\"").isPresent();
            assertTrue("state changed; output:\n" + gateway.output(), changed);
            gateway.command("gs:leave line1");
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    /**
     * Issue 15, every API capability has a command, on two gateways over the local broker: a subscription to a group
     * nobody has answers UNKNOWN_GROUP under its own name; the subscribing gateway sees the group dissolve ("dissolved
     * at seq N") after the last member left; expel (proposed on either gateway, the coordinator's too, against the
     * other's provider: it completes), attribute change and goodbye from the shell.
     */
    @Test
    public void twoGatewaysSubscribeExpelChangeAttributesAndSeeAGroupDissolve() throws Exception {
        String domain = "gsit" + ProcessHandle.current().pid();
        File home1 = tmp.newFolder("g1");
        File home2 = tmp.newFolder("g2");
        try (GatewayProcess g1 = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home1, "--edgeha.node=1",
                "--edgeha.domain=" + domain, "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1883");
             GatewayProcess g2 = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home2, "--edgeha.node=2",
                "--edgeha.domain=" + domain, "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1883")) {
            for (GatewayProcess g : List.of(g1, g2)) {
                assertTrue(g.output(), g.awaitLine(l -> l.contains("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                        .isPresent());
                assertTrue(g.output(), ask(g, "mqtt:status", "CONNECTED").isPresent());
            }
            assertTrue(g1.output(), ask(g1, "gs:join line1", "joining line1").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "members      [1/9999]").isPresent());

            int before = g2.lineCount();
            g2.command("gs:subscribe nosuchgroup");
            assertTrue(g2.output(), g2.awaitLineAfter(before, l -> l.contains(
                    "gs:subscribe: no group nosuchgroup in the domain (UNKNOWN_GROUP); not watching it"), 20,
                    TimeUnit.SECONDS).isPresent());
            assertTrue(g2.output(), ask(g2, "gs:subscribe line1", "watching line1: seq").isPresent());

            // expel proposed on the coordinator's gateway (1) against gateway 2's provider: it completes
            assertTrue(g2.output(), ask(g2, "gs:join line1", "joining line1").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "members      [1/9999, 2/9999]").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "coordinator  node 1").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:expel line1 2/9999", "proposed to expel [2/9999]").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "members      [1/9999]").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "running      -").isPresent());
            assertTrue(g2.output(), ask(g2, "gs:view line1", "members      [1/9999]").isPresent());

            // attribute change and expel, proposed by gateway 2's provider (joined again after its expulsion)
            assertTrue(g2.output(), ask(g2, "gs:join line1", "joining line1").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "members      [1/9999, 2/9999]").isPresent());
            assertTrue(g2.output(), ask(g2, "gs:attributes line1 timeLimit=20", "proposed attributes").isPresent());
            assertTrue(g1.output(), ask(g1, "gs:view line1", "systemTimeLimit=PT20S").isPresent());
            assertTrue(g2.output(), ask(g2, "gs:expel line1 1/9999", "proposed to expel [1/9999]").isPresent());
            assertTrue(g2.output(), ask(g2, "gs:view line1", "members      [2/9999]").isPresent());

            // the last member says goodbye: the group dissolves, and the subscription says so on gateway 2
            assertTrue(g2.output(), ask(g2, "gs:goodbye line1", "said goodbye to line1").isPresent());
            Optional<String> dissolved = ask(g2, "gs:view line1", "group line1 dissolved at seq ");
            assertTrue(g2.output(), dissolved.isPresent());
            assertFalse(g2.output(), g2.output().lines().anyMatch(l -> l.contains("delayed error UNKNOWN_GROUP")));
            assertTrue(g2.output(), ask(g2, "gs:unsubscribe line1", "no longer watching line1").isPresent());
            for (GatewayProcess g : List.of(g1, g2)) {
                g.command("stop 0");
                assertEquals(g.output(), Optional.of(0), g.awaitExit(30, TimeUnit.SECONDS));
            }
        }
    }
}
