package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The real {@code edgeha-gateway.jar}, started as its own process the way an operator starts it. */
public class GatewayProcessIT {

    private static final Pattern READY = Pattern.compile("EdgeHA gateway ready: node (\\d+), .*started in (\\d+) ms.*");
    /** Generous: a loaded CI machine may be slow; the start-up goal is measured in the benchmarks. */
    private static final long READY_TIMEOUT_S = 60;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static boolean isReadyLine(String line) {
        return READY.matcher(line).matches();
    }

    @Test
    public void startsPrintsTheReadyLineAndStopsCleanlyOnSigterm() throws Exception {
        File home = tmp.newFolder("g1");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"),
                "--edgeha.home=" + home, "--edgeha.node=7", "--edgeha.console=false")) {
            String ready = gateway.awaitLine(GatewayProcessIT::isReadyLine, READY_TIMEOUT_S, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("no ready line; output:\n" + gateway.output()));
            Matcher m = READY.matcher(ready);
            assertTrue(m.matches());
            assertEquals("7", m.group(1));
            assertTrue("start-up time is positive: " + ready, Long.parseLong(m.group(2)) > 0);

            assertTrue("Felix cache under data/", Files.isDirectory(home.toPath().resolve("data/felix-cache")));
            assertTrue(Files.isDirectory(home.toPath().resolve("etc")));
            assertTrue(Files.isDirectory(home.toPath().resolve("deploy")));
            assertTrue("log file has the ready entry",
                    awaitFileContains(home.toPath().resolve("data/log/edgeha0.log"), "Gateway ready"));

            gateway.terminate();
            Optional<Integer> exit = gateway.awaitExit(30, TimeUnit.SECONDS);
            assertEquals("exit status after SIGTERM; output:\n" + gateway.output(), Optional.of(0), exit);
            assertTrue(gateway.output(), gateway.output().contains("EdgeHA gateway stopped"));
            assertFalse("nothing left in data/tmp", Files.list(home.toPath().resolve("data/tmp")).findAny().isPresent());
        }
    }

    /**
     * 1,500 console commands in a 32 MB heap: Gogo 1.1.6 alone keeps each command's job (about 35 KB), which ran a
     * 48 MB gateway out of heap after about 815 commands; org.edgeha.console drops them.
     */
    @Test
    public void theConsoleAnswersFifteenHundredCommandsInA32MegabyteHeap() throws Exception {
        File home = tmp.newFolder("console");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m", "-XX:+UseSerialGC"),
                "--edgeha.home=" + home, "--edgeha.node=9", "--edgeha.console=true",
                "--edgeha.broker=tcp://127.0.0.1:1")) {
            gateway.awaitLine(GatewayProcessIT::isReadyLine, READY_TIMEOUT_S, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("no ready line; output:\n" + gateway.output()));
            int answered = 0;
            for (int batch = 0; batch < 15; batch++) {
                for (int i = 0; i < 100; i++) {
                    gateway.command("edgeha:info");
                }
                answered += 100;
                int expected = answered;
                boolean all = gateway.awaitLine(new java.util.function.Predicate<>() {
                    private int seen;

                    @Override
                    public boolean test(String line) {
                        return line.contains("node      9") && ++seen >= expected;
                    }
                }, 60, TimeUnit.SECONDS).isPresent();
                assertTrue("only part of " + expected + " commands answered; output:\n" + tail(gateway.output()), all);
            }
            assertTrue(gateway.isAlive());
            assertFalse(tail(gateway.output()), gateway.output().contains("OutOfMemoryError"));
        }
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 4_000));
    }

    private static boolean awaitFileContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(50); // polling a file with a deadline; no event to wait on
        }
        return false;
    }

    @Test
    public void twoGatewaysWithTheirOwnHomesRunSideBySide() throws Exception {
        File home1 = tmp.newFolder("a");
        File home2 = tmp.newFolder("b");
        try (GatewayProcess g1 = GatewayProcess.start(List.of("-Xmx32m"),
                "--edgeha.home=" + home1, "--edgeha.node=1", "--edgeha.console=false");
             GatewayProcess g2 = GatewayProcess.start(List.of("-Xmx32m", "-Dedgeha.node=2", "-Dedgeha.console=false"),
                "--edgeha.home=" + home2)) {
            assertTrue(g1.output(), g1.awaitLine(l -> l.startsWith("EdgeHA gateway ready: node 1,"),
                    READY_TIMEOUT_S, TimeUnit.SECONDS).isPresent());
            assertTrue(g2.output(), g2.awaitLine(l -> l.startsWith("EdgeHA gateway ready: node 2,"),
                    READY_TIMEOUT_S, TimeUnit.SECONDS).isPresent());
            assertTrue(g1.isAlive() && g2.isAlive());
            assertTrue(Files.isDirectory(home1.toPath().resolve("data/felix-cache")));
            assertTrue(Files.isDirectory(home2.toPath().resolve("data/felix-cache")));

            g1.terminate();
            g2.terminate();
            assertEquals(g1.output(), Optional.of(0), g1.awaitExit(30, TimeUnit.SECONDS));
            assertEquals(g2.output(), Optional.of(0), g2.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    @Test
    public void badSettingsStopTheStartWithOneClearMessageAndStatus2() throws Exception {
        File home = tmp.newFolder("bad");
        File plainFile = tmp.newFile("not-a-folder");
        String[][] cases = {
            {"--edgeha.home=" + home, "--edgeha.node=abc"},
            {"--edgeha.home=" + home, "--edgeha.node=0"},
            {"--edgeha.home=" + home, "--edgeha.node=-5"},
            {"--edgeha.home=" + new File(plainFile, "child")},
            {"--edgeha.home=" + home, "--edgeha.broker=http://x"},
            {"--edgeha.home=" + home, "stray-argument"},
        };
        String[] expectedSetting = {"edgeha.node", "edgeha.node", "edgeha.node", "edgeha.home", "edgeha.broker",
            "--key=value"};
        for (int i = 0; i < cases.length; i++) {
            try (GatewayProcess gateway = GatewayProcess.start(List.of(), cases[i])) {
                assertEquals(gateway.output(), Optional.of(2), gateway.awaitExit(30, TimeUnit.SECONDS));
                String output = gateway.output().strip();
                assertEquals("exactly one line: " + output, 1, output.lines().count());
                assertTrue(output, output.startsWith("edgeha: cannot start: "));
                assertTrue(output, output.contains(expectedSetting[i]));
                assertFalse("no stack trace: " + output, output.contains("Exception"));
            }
        }
    }

    @Test
    public void anUnknownSettingStopsTheStartAndNamesTheNearestKnownOne() throws Exception {
        // issue 14: --edgeha.nodee=3 started node 1 on the default broker, which joined whatever domain ran there
        File home = tmp.newFolder("typo");
        String[][] jvmArgs = {{}, {"-Dedgeha.brokr=tcp://10.0.0.5:1883"}};
        String[][] args = {{"--edgeha.home=" + home, "--edgeha.nodee=3"}, {"--edgeha.home=" + home}};
        String[] expected = {"unknown setting --edgeha.nodee (did you mean edgeha.node?)",
            "unknown setting -Dedgeha.brokr (did you mean edgeha.broker?)"};
        for (int i = 0; i < args.length; i++) {
            try (GatewayProcess gateway = GatewayProcess.start(List.of(jvmArgs[i]), args[i])) {
                assertEquals(gateway.output(), Optional.of(2), gateway.awaitExit(30, TimeUnit.SECONDS));
                String output = gateway.output().strip();
                assertEquals("exactly one line: " + output, 1, output.lines().count());
                assertTrue(output, output.startsWith("edgeha: cannot start: " + expected[i]));
                assertFalse("nothing started: " + output, Files.exists(home.toPath().resolve("data/felix-cache")));
            }
        }
    }

    @Test
    public void theSettingsTakenFromDefaultsAreLoggedAtStart() throws Exception {
        File home = tmp.newFolder("defaults");
        try (GatewayProcess gateway = GatewayProcess.start(List.of(), "--edgeha.home=" + home, "--edgeha.node=4",
                "--edgeha.console=false")) {
            assertTrue(gateway.output(), gateway.awaitLine(GatewayProcessIT::isReadyLine, READY_TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            Path log = home.toPath().resolve("data/log/edgeha0.log");
            String expected = "Taken from defaults (not set): domain default, broker tcp://127.0.0.1:1883";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(log) && Files.readString(log).contains(expected)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(log) ? Files.readString(log) : "no log", Files.readString(log).contains(expected));
            gateway.terminate();
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    @Test
    public void aCleanStopWithNoBrokerSaysNothingAlarming() throws Exception {
        // issue 14: a clean stop with no broker printed WARNs ("not recovered ... InterruptedException",
        // "EventAdmin: Event Task Processing Interrupted")
        File home = tmp.newFolder("no-broker");
        try (GatewayProcess gateway = GatewayProcess.start(List.of(), "--edgeha.home=" + home, "--edgeha.node=5",
                "--edgeha.console=false", "--edgeha.broker=tcp://127.0.0.1:1")) {
            assertTrue(gateway.output(), gateway.awaitLine(GatewayProcessIT::isReadyLine, READY_TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            Thread.sleep(3_000); // recoveries of the MQTT link are running
            int before = gateway.lineCount();
            gateway.terminate();
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
            List<String> stop = gateway.output().lines().skip(before).toList();
            assertTrue(stop.toString(), stop.stream().anyMatch(l -> l.contains("stopped")));
            assertEquals("the stop says nothing alarming", List.of(), stop.stream()
                    .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception")).toList());
        }
    }

    @Test
    public void aMissingHomeIsCreated() throws Exception {
        File home = new File(tmp.getRoot(), "new/gateway");
        try (GatewayProcess gateway = GatewayProcess.start(List.of(), "--edgeha.home=" + home,
                "--edgeha.console=false")) {
            assertTrue(gateway.output(), gateway.awaitLine(GatewayProcessIT::isReadyLine, READY_TIMEOUT_S,
                    TimeUnit.SECONDS).isPresent());
            assertTrue(Files.isDirectory(home.toPath().resolve("deploy")));
            gateway.terminate();
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    @Test
    public void unreadableHomeIsRefused() throws Exception {
        File home = tmp.newFolder("locked");
        assertTrue(home.setReadable(false) && home.setWritable(false) && home.setExecutable(false));
        try {
            if (home.canRead()) {
                return; // root reads everything: the check cannot fail here, and the "must be readable" path
                        // is covered by GatewaySettingsTest through a plain file.
            }
            try (GatewayProcess gateway = GatewayProcess.start(List.of(), "--edgeha.home=" + home)) {
                assertEquals(gateway.output(), Optional.of(2), gateway.awaitExit(30, TimeUnit.SECONDS));
                assertTrue(gateway.output(), gateway.output().contains("edgeha.home"));
            }
        } finally {
            home.setReadable(true);
            home.setWritable(true);
            home.setExecutable(true);
        }
    }

    @Test
    public void helpPrintsTheSettings() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(List.of(), "--help")) {
            assertEquals(Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
            for (String setting : new String[] {"edgeha.home", "edgeha.node", "edgeha.domain", "edgeha.broker",
                "edgeha.console"}) {
                assertTrue(gateway.output(), gateway.output().contains("--" + setting + "="));
            }
        }
    }
}
