package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
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
}
