package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 15, "the front door", on real gateway processes: the {@code g!} prompt comes after the ready line, a stop from
 * the console ({@code stop 0}) prints "stopping" and "stopped" as SIGTERM does, and {@code edgeha.console=auto} starts
 * the shell when standard input is a terminal even though standard output is piped, and not when standard input is
 * a pipe. No broker is needed.
 */
public class ConsoleIT {

    private static final String NO_BROKER = "--edgeha.broker=tcp://127.0.0.1:1";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void thePromptComesAfterTheReadyLineAndStop0SaysStoppingAndStopped() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=3", "--edgeha.console=true", NO_BROKER)) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            assertTrue(gateway.output(), gateway.awaitAnswer("edgeha:info", "node      3").isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
            String out = gateway.output();
            int ready = out.indexOf("EdgeHA gateway ready");
            int prompt = out.indexOf("g! ");
            assertTrue("the prompt came before the ready line:\n" + out, prompt > ready);
            List<String> lines = out.lines().map(l -> l.replace("g! ", "").strip()).toList();
            int stopping = lines.indexOf("EdgeHA gateway stopping");
            int stopped = lines.indexOf("EdgeHA gateway stopped");
            assertTrue("no stopping line:\n" + out, stopping > 0);
            assertTrue("no stopped line after it:\n" + out, stopped > stopping);
        }
    }

    /**
     * The ready line means "the gateway has started": a refresh of the gateway runtime bundle in a running gateway
     * restarts its component, which must not print it again (its marker in the bundle's data area names this
     * framework launch, so that a marker from an earlier run cannot pass for one either).
     */
    @Test
    public void aRefreshedGatewayRuntimeDoesNotSayReadyAgain() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=3", "--edgeha.console=true", NO_BROKER)) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            String row = gateway.awaitAnswer("lb -s", l -> l.matches(".*\\|org\\.edgeha\\.gateway \\(.*"))
                    .orElseThrow(() -> new AssertionError("no org.edgeha.gateway in lb -s:\n" + gateway.output()));
            String id = row.replace("g! ", "").strip().split("\\|")[0].strip();
            gateway.command("refresh " + id);
            Path log = home.toPath().resolve("data/log/edgeha0.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("Gateway runtime restarted") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue("the runtime did not restart:\n" + Files.readString(log),
                    Files.readString(log).contains("Gateway runtime restarted"));
            assertTrue("the gateway ended:\n" + gateway.output(), gateway.isAlive());
            assertTrue(gateway.output(), gateway.awaitAnswer("edgeha:info", "node      3").isPresent());
            assertEquals(gateway.output(), 1, gateway.output().lines().filter(l -> l.contains("EdgeHA gateway ready")).count());
        }
    }

    /** {@code auto} with standard input a pipe: no shell; SIGTERM still says stopping and stopped. */
    @Test
    public void autoWithAPipeOnStandardInputStartsNoShell() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=4", NO_BROKER)) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            int before = gateway.lineCount();
            gateway.command("edgeha:info");
            assertFalse(gateway.output(), gateway.awaitLineAfter(before, l -> l.contains("node      4"), 3,
                    TimeUnit.SECONDS).isPresent());
            assertFalse(gateway.output(), gateway.output().contains("g! "));
            gateway.terminate();
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
            assertTrue(gateway.output(), gateway.output().contains("EdgeHA gateway stopping"));
            assertTrue(gateway.output(), gateway.output().contains("EdgeHA gateway stopped"));
        }
    }

    /**
     * {@code auto} with a terminal on standard input and standard output into a file (as {@code java -jar … | tee} or
     * {@code > log} would): the shell runs. util-linux {@code script} gives the gateway a pseudo-terminal; the test is
     * skipped where it is missing.
     */
    @Test
    public void autoWithATerminalOnStandardInputAndOutputToAFileStartsTheShell() throws Exception {
        assumeTrue("util-linux script is needed for a pseudo-terminal", Files.isExecutable(Path.of("/usr/bin/script")));
        File home = tmp.newFolder("gw");
        Path out = home.toPath().resolve("console.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -Xmx48m -jar " + GatewayProcess.jar() + " --edgeha.home=" + home
                + " --edgeha.node=5 " + NO_BROKER + " > " + out + " 2>&1";
        Process script = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            assertTrue(read(out), await(out, "EdgeHA gateway ready"));
            OutputStream in = script.getOutputStream();
            in.write("edgeha:info\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue("no answer at the console:\n" + read(out), await(out, "node      5"));
            in.write("stop 0\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(read(out), await(out, "EdgeHA gateway stopped"));
            assertTrue(read(out), script.waitFor(30, TimeUnit.SECONDS));
            assertEquals(read(out), 0, script.exitValue());
            assertTrue(read(out), read(out).indexOf("g! ") > read(out).indexOf("EdgeHA gateway ready"));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    private static boolean await(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (read(file).contains(text)) {
                return true;
            }
            Thread.sleep(100); // polling a file another process writes; no event to wait on
        }
        return false;
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }
}
