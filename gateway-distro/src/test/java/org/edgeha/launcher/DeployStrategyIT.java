package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.tcp.LineServer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's strategy tutorial, done as an operator does it on a running gateway: copy the example
 * strategy bundle into deploy/, see the plc-* connections recovered by it, delete it, see the default back.
 */
public class DeployStrategyIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Runs {@code ha:list} until the plc-1 line contains the text; the line, or empty at the deadline. */
    private static Optional<String> awaitRecoveredBy(GatewayProcess gateway, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int before = gateway.lineCount();
            gateway.command("ha:list");
            Optional<String> line = gateway.awaitLineAfter(before, l -> l.contains("plc-1"), 5, TimeUnit.SECONDS);
            if (line.isPresent() && line.get().contains(text)) {
                return line;
            }
            Thread.sleep(200); // FileInstall polls deploy/ every second
        }
        return Optional.empty();
    }

    @Test
    public void aStrategyDroppedIntoDeployTakesOverAndDeletingItGivesTheDefaultBack() throws Exception {
        Path example = Path.of(System.getProperty("edgeha.example.strategy.jar"));
        File home = tmp.newFolder("g");
        try (LineServer plc = LineServer.start();
             GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home,
                     "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1")) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .isPresent());
            gateway.command("ha:connect plc-1 " + plc.endpoint());
            assertTrue(gateway.output(), awaitRecoveredBy(gateway, "whiteboard backoff ").isPresent());

            Path deployed = home.toPath().resolve("deploy").resolve(example.getFileName());
            Files.copy(example, deployed);
            assertTrue("the example strategy takes over; output:\n" + gateway.output(),
                    awaitRecoveredBy(gateway, "whiteboard example-plc-reconnect").isPresent());

            // It really recovers: the PLC restarts and a request goes through.
            plc.stop();
            plc.restart();
            int before = gateway.lineCount();
            gateway.command("ha:send plc-1 after-restart");
            assertTrue(gateway.output(), gateway.awaitLineAfter(before, l -> l.contains("echo:after-restart"), 30,
                    TimeUnit.SECONDS).isPresent());

            Files.delete(deployed);
            assertTrue("the default strategy is back; output:\n" + gateway.output(),
                    awaitRecoveredBy(gateway, "whiteboard backoff ").isPresent());

            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
