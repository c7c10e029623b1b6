package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
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

/**
 * Features on a real gateway process, as an operator handles them: a feature file dropped into deploy/ is installed
 * (its bundle from the gateway's repository folder), updated when the file is replaced, survives a restart, and is
 * removed when the file is deleted; a
 * broken feature file or bundle in deploy/ is reported with its reason and disturbs nothing; {@code feature:install}
 * refuses a feature whose bundle needs a package nobody exports.
 */
public class DeployFeatureIT {

    private static final String EXAMPLE_BSN = "org.edgeha.examples.recovery";
    private static final String GROUPS_BSN = "org.edgeha.examples.groups";
    private static final long TIMEOUT_S = 60;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Path examplesFeature() {
        return Path.of(System.getProperty("edgeha.features.dir"), "examples.json");
    }

    /** Puts the example bundles into the home's repository at the versions examples.json names. */
    private static void exampleIntoRepository(Path home) throws IOException {
        intoRepository(home, EXAMPLE_BSN, System.getProperty("edgeha.example.strategy.jar"));
        intoRepository(home, GROUPS_BSN, System.getProperty("edgeha.example.groups.jar"));
    }

    private static void intoRepository(Path home, String bsn, String built) throws IOException {
        Matcher m = Pattern.compile("\"org\\.edgeha:" + Pattern.quote(bsn) + ":([^\"]+)\"")
                .matcher(Files.readString(examplesFeature()));
        assertTrue("examples.json lists " + bsn, m.find());
        String version = m.group(1);
        Path jar = home.resolve("repository/org/edgeha").resolve(bsn).resolve(version)
                .resolve(bsn + "-" + version + ".jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(built), jar);
    }

    private static GatewayProcess start(Path home) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1");
        assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S, TimeUnit.SECONDS)
                .isPresent());
        return gateway;
    }



    /** A row of feature:list: the feature's name (groupId:artifactId) and its state. */
    private static java.util.function.Predicate<String> row(String name, String state) {
        return l -> l.startsWith(name + " ") && l.matches(".*\\s" + state + "\\s.*");
    }

    /**
     * Issue 15: feature:list shows every feature the gateway knows, with its version and state: the distro's features
     * "built-in", a feature file in the repository "available" (the home's, and the distro's next to the jar, which holds
     * the optional features of features/), and once installed "installed".
     */
    @Test
    public void featureListShowsBuiltInAvailableAndInstalledFeatures() throws Exception {
        Path home = tmp.newFolder("l").toPath();
        exampleIntoRepository(home);
        Matcher id = Pattern.compile("\"id\":\\s*\"org\\.edgeha:examples:([^\"]+)\"").matcher(Files.readString(examplesFeature()));
        assertTrue(id.find());
        String version = id.group(1);
        Path inRepository = home.resolve("repository/org/edgeha/examples").resolve(version)
                .resolve("examples-" + version + ".osgifeature");
        Files.createDirectories(inRepository.getParent());
        Files.copy(examplesFeature(), inRepository);
        try (GatewayProcess gateway = start(home)) {
            for (String distro : List.of("core", "operator-tools", "recovery", "recovery-strategies", "mqtt",
                    "group-services", "management")) {
                assertTrue(distro + "; output:\n" + gateway.output(),
                        gateway.awaitAnswer("feature:list", row("org.edgeha:" + distro, "built-in")).isPresent());
            }
            Optional<String> available = gateway.awaitAnswer("feature:list", row("org.edgeha:examples", "available"));
            assertTrue(gateway.output(), available.isPresent());
            assertTrue(available.get(), available.get().contains(" " + version + " ")
                    && available.get().contains("repository/org/edgeha/examples/" + version));
            // the optional features of features/ are available too, from the distro's repository next to the jar
            long optional;
            try (var files = Files.list(examplesFeature().getParent())) {
                optional = files.filter(f -> f.toString().endsWith(".json")).count() - 7;
            }
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list", row("org.edgeha:logging", "available"))
                    .filter(l -> l.contains("/repository/org/edgeha/logging/")).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list", "7 built-in, 0 installed, " + optional
                    + " available").isPresent());
            int before = gateway.lineCount();
            gateway.command("feature:install org.edgeha:examples:" + version);
            assertTrue(gateway.output(), gateway.awaitLineAfter(before, l -> l.contains("installed org.edgeha:examples"),
                    60, TimeUnit.SECONDS).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list", row("org.edgeha:examples", "installed"))
                    .isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list", "7 built-in, 1 installed, " + (optional - 1)
                    + " available").isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    @Test
    public void aFeatureFileInDeployIsInstalledUpdatedSurvivesARestartAndDeletingItRemovesIt() throws Exception {
        Path home = tmp.newFolder("g").toPath();
        exampleIntoRepository(home);
        Path deployed = home.resolve("deploy/examples.json");
        try (GatewayProcess gateway = start(home)) {
            assertTrue(gateway.output(), gateway.awaitAnswer("feature:list", " built-in, 0 installed,").isPresent());
            Files.copy(examplesFeature(), deployed);
            assertTrue("installed from deploy/; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:list", row("org.edgeha:examples", "installed")).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("lb " + EXAMPLE_BSN, "Active").isPresent());
            assertTrue("its component runs; output:\n" + gateway.output(),
                    gateway.awaitAnswer("ha:functions", "example-plc-reconnect").isPresent());

            // Replaced: the changed file updates the feature in place.
            Path changed = home.resolve("examples-renamed.json");
            Files.writeString(changed, Files.readString(examplesFeature()).replace("\"EdgeHA examples\"", "\"Examples, renamed\""));
            Files.move(changed, deployed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue("updated from deploy/; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:info examples", "Examples, renamed").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("lb " + EXAMPLE_BSN, "Active").isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
        // The feature's record is kept under data/, owner-only like everything there (docs/RELIABILITY.md, Security).
        assertTrue(Files.exists(home.resolve("data/features/org.edgeha~examples.json")));
        DataFolderPermissions.assertOwnerOnly(home.resolve("data"));
        try (GatewayProcess gateway = start(home)) {
            assertTrue("still installed after a restart; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:list", row("org.edgeha:examples", "installed")).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("lb " + EXAMPLE_BSN, "Active").isPresent());

            Files.delete(deployed);
            assertTrue("removed with its file; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:list", " built-in, 0 installed,").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("lb " + EXAMPLE_BSN, "No matching bundles").isPresent());
            assertFalse(Files.exists(home.resolve("data/features/org.edgeha~examples.json")));
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    @Test
    public void brokenFeaturesAndBundlesAreReportedWithTheirReasonAndDisturbNothing() throws Exception {
        Path home = tmp.newFolder("b").toPath();
        exampleIntoRepository(home);
        TestBundleJars.write(home.resolve("repository/org/edgeha/test/test.needs.nobody/1.0.0/test.needs.nobody-1.0.0.jar"),
                "test.needs.nobody", "org.edgeha.nobody.exports.this");
        Path needsNobody = home.resolve("needs-nobody.json");
        Files.writeString(needsNobody, "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha.test:needs-nobody:1.0.0\","
                + " \"bundles\": [{\"id\": \"org.edgeha.test:test.needs.nobody:1.0.0\"}]}");
        try (GatewayProcess gateway = start(home)) {
            int before = gateway.lineCount();
            gateway.command("feature:install " + needsNobody);
            Optional<String> refused = gateway.awaitLineAfter(before, l -> l.contains("feature:install:"), 30, TimeUnit.SECONDS);
            assertTrue(gateway.output(), refused.isPresent());
            assertTrue(refused.get(), refused.get().contains("refused, nothing changed")
                    && refused.get().contains("missing requirement osgi.wiring.package")
                    && refused.get().contains("org.edgeha.nobody.exports.this"));

            // A feature file with a plain-string bundle entry, and a bundle that cannot resolve, next to a good feature.
            Files.writeString(home.resolve("deploy/plain-string.json"), "{\"feature-resource-version\": \"1.0\","
                    + " \"id\": \"org.edgeha.test:plain:1.0.0\", \"bundles\": [\"org.edgeha:org.edgeha.recovery:0.1.0\"]}");
            TestBundleJars.write(home.resolve("deploy/broken-bundle.jar"), "test.broken.bundle", "org.edgeha.nobody.exports.that");
            Files.copy(examplesFeature(), home.resolve("deploy/examples.json"));

            assertTrue("the good feature is installed; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:list", row("org.edgeha:examples", "installed")).isPresent());
            assertTrue("the bad feature file is reported; output:\n" + gateway.output(),
                    gateway.awaitLine(l -> l.contains("plain-string.json refused") && l.contains("bundles[0] must be an object"),
                            30, TimeUnit.SECONDS).isPresent());
            assertTrue("the broken bundle is installed, not active", gateway.awaitAnswer("lb test.broken.bundle", "Installed")
                    .isPresent());
            assertTrue("the broken bundle is reported with its missing requirement; output:\n" + gateway.output(),
                    gateway.awaitLine(l -> l.contains("org.edgeha.nobody.exports.that"), 30, TimeUnit.SECONDS).isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("lb " + EXAMPLE_BSN, "Active").isPresent());
            assertTrue(gateway.output(), gateway.awaitAnswer("edgeha:info", "ready     yes").isPresent());
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
