package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 15, "configuration edits persist", on a real gateway: configurations changed at run time through ConfigAdmin
 * (here with {@code config:set}) are written back to {@code etc/} owner-only, an existing file keeps its comments, the
 * edits are there after a restart, and no secret value is ever written under {@code data/}. No broker is needed.
 */
public class ConfigPersistenceIT {

    private static final String SECRET = "TopSecret-4711-never-in-data";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static GatewayProcess start(Path home) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home, "--edgeha.node=2",
                "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1");
        gateway.awaitLine(l -> l.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
        return gateway;
    }

    @Test
    public void aConfigurationChangedAtRunTimeIsWrittenToEtcOwnerOnlyAndSurvivesARestart() throws Exception {
        Path home = tmp.newFolder("gw").toPath();
        Path etc = Files.createDirectories(home.resolve("etc"));
        Path logCfg = etc.resolve("org.edgeha.gateway.log.cfg");
        Files.writeString(logCfg, "# kept by the operator\nconsole.level = WARN\n");
        Path mqttCfg = etc.resolve("org.edgeha.mqtt.cfg");
        Path failoverCfg = etc.resolve("org.edgeha.example.note-line9.cfg");
        try (GatewayProcess gateway = start(home)) {
            // a configuration with no file yet, with a secret; an existing file; a named factory configuration
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.edgeha.mqtt keepalive.s 7",
                    "set keepalive.s of org.edgeha.mqtt to 7").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.edgeha.mqtt .password " + SECRET,
                    "set .password of org.edgeha.mqtt").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.edgeha.gateway.log file.size.kib 2048",
                    "set file.size.kib").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.edgeha.example.note~line9"
                    + " endpoints 127.0.0.1:1", "set endpoints").isPresent());
            assertTrue(gateway.output(), awaitFileContains(mqttCfg, ".password = " + SECRET));
            assertTrue(gateway.output(), awaitFileContains(mqttCfg, "keepalive.s = 7"));
            assertTrue(gateway.output(), awaitFileContains(logCfg, "file.size.kib = 2048"));
            assertTrue(gateway.output(), awaitFileContains(failoverCfg, "endpoints = 127.0.0.1:1"));
            String log = Files.readString(logCfg);
            assertTrue(log, log.startsWith("# kept by the operator\nconsole.level = WARN"));
            for (Path written : List.of(mqttCfg, logCfg, failoverCfg)) {
                assertEquals(written.toString(), "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
            }
            // shown masked at the console
            Optional<String> masked = gateway.awaitAnswer("config:get org.edgeha.mqtt", ".password = ********");
            assertTrue(gateway.output(), masked.isPresent());
            assertFalse(gateway.output(), gateway.output().contains("= " + SECRET));
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
        try (GatewayProcess gateway = start(home)) {
            assertTrue("the edit survived the restart; output:\n" + gateway.output(),
                    gateway.awaitAnswer("config:get org.edgeha.mqtt", "keepalive.s = 7").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:get org.edgeha.gateway.log", "file.size.kib = 2048")
                    .isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:get org.edgeha.example.note~line9",
                    "endpoints = 127.0.0.1:1").isPresent());
            // a deleted configuration takes its file with it
            assertTrue(gateway.output(), gateway.awaitAnswer("config:delete org.edgeha.example.note~line9",
                    "deleted").isPresent());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(failoverCfg) && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling a file another process deletes; no event to wait on
            }
            assertFalse(gateway.output(), Files.exists(failoverCfg));
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
        try (Stream<Path> files = Files.walk(home.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse("the secret is in " + f, new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(SECRET));
            }
        }
    }

    private static String settingsFeature(String version, String mode) {
        return "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha.test:settings:" + version + "\","
                + " \"bundles\": [], \"configurations\": {\"org.edgeha.test.settings\": {\"mode\": \"" + mode + "\"}}}";
    }

    /**
     * A feature's configuration is its initial value: changed at run time (written back to etc/), the change survives
     * a restart, which installs the feature again unchanged (it set the feature's values again, and the write-back
     * then saved them over the operator's); a changed feature installed later sets its values.
     */
    @Test
    public void aFeaturesConfigurationChangedAtRunTimeSurvivesTheFeaturesReinstallAtRestart() throws Exception {
        Path home = tmp.newFolder("gw").toPath();
        Path feature = tmp.getRoot().toPath().resolve("settings.json");
        Files.writeString(feature, settingsFeature("1.0.0", "feature"));
        Path cfg = home.resolve("etc/org.edgeha.test.settings.cfg");
        try (GatewayProcess gateway = start(home)) {
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:install " + feature,
                    "installed org.edgeha.test:settings:1.0.0").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:get org.edgeha.test.settings", "mode = feature")
                    .isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:set org.edgeha.test.settings mode operator",
                    l -> !l.isBlank()).isPresent());
            assertTrue("not written back:\n" + gateway.output(), awaitFileContains(cfg, "operator"));
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
        try (GatewayProcess gateway = start(home)) {
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list",
                    l -> l.contains("org.edgeha.test:settings") && l.contains("installed")).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:get org.edgeha.test.settings", "mode = operator")
                    .isPresent());
            assertTrue(Files.readString(cfg), Files.readString(cfg).contains("operator"));
            // A changed feature (here a new version) sets its configuration
            Files.writeString(feature, settingsFeature("1.1.0", "feature-1.1"));
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:install " + feature,
                    "org.edgeha.test:settings:1.1.0").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("config:get org.edgeha.test.settings", "mode = feature-1.1")
                    .isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    private static boolean awaitFileContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(50); // polling a file another process writes; no event to wait on
        }
        return false;
    }
}
