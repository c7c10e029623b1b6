package org.edgeha.features.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.edgeha.features.api.InstalledFeature;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** feature:list's rows (issue 15): built-in, installed and available features, from a real repository folder. */
public class FeatureCatalogTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void builtInInstalledAndAvailableFeaturesAreListedOnceEach() throws Exception {
        Path home = tmp.getRoot().toPath();
        Path repo = home.resolve("repository");
        Path examples = write(repo, "org/edgeha/examples/1.0.0/examples-1.0.0.osgifeature");
        write(repo, "org/edgeha/examples/0.9.0/examples-0.9.0.json");
        write(repo, "com/acme/line/tools/2.1/tools-2.1.json");
        write(repo, "org/edgeha/mqtt/0.1.0/mqtt-0.1.0.osgifeature"); // the same as a built-in one: listed once
        write(repo, "org/edgeha/org.edgeha.mqtt/0.1.0/org.edgeha.mqtt-0.1.0.jar"); // a bundle, not a feature
        write(repo, "org/edgeha/examples/1.0.0/notes.json"); // not artifactId-version
        InstalledFeature installed = new InstalledFeature("org.edgeha:examples:0.9.0", "EdgeHA examples",
                List.of("a", "b"), List.of("a"), List.of(), "deploy/examples.json");

        List<FeatureCatalog.Entry> rows = FeatureCatalog.entries("org.edgeha:mqtt:0.1.0 org.edgeha:core:0.1.0",
                List.of(installed), List.of(repo), home);
        assertEquals(List.of(
                new FeatureCatalog.Entry("org.edgeha:core", "0.1.0", "built-in", "in the distro"),
                new FeatureCatalog.Entry("org.edgeha:mqtt", "0.1.0", "built-in", "in the distro"),
                new FeatureCatalog.Entry("org.edgeha:examples", "0.9.0", "installed",
                        "2 bundles (1 its own), 0 configurations, from deploy/examples.json"),
                new FeatureCatalog.Entry("com.acme.line:tools", "2.1", "available",
                        "repository/com/acme/line/tools/2.1/tools-2.1.json"),
                new FeatureCatalog.Entry("org.edgeha:examples", "1.0.0", "available", home.relativize(examples).toString())),
                rows);
        String table = FeatureCatalog.table(rows);
        assertTrue(table, table.startsWith("NAME "));
        assertTrue(table, table.endsWith("2 built-in, 1 installed, 2 available"));
        assertTrue(table, table.lines().anyMatch(l -> l.matches("org\\.edgeha:examples\\s+1\\.0\\.0\\s+available\\s+.*")));
    }

    @Test
    public void withNothingKnownTheListSaysSo() {
        assertEquals("no feature known: none built in, installed or in the repository" + System.lineSeparator()
                + "0 built-in, 0 installed, 0 available", FeatureCatalog.table(FeatureCatalog.entries(null, List.of(),
                List.of(tmp.getRoot().toPath().resolve("missing")), tmp.getRoot().toPath())));
    }

    @Test
    public void onlyMavenLayoutFeatureFilesHaveAnId() {
        Path root = Path.of("/r");
        assertEquals("a.b:c:1", FeatureCatalog.idOf(root, root.resolve("a/b/c/1/c-1.json")));
        assertNull(FeatureCatalog.idOf(root, root.resolve("c/1/c-1.json")));
        assertNull(FeatureCatalog.idOf(root, root.resolve("a/c/1/c-2.json")));
        assertNull(FeatureCatalog.idOf(root, root.resolve("a/c/1/c-1.jar")));
    }

    private static Path write(Path repo, String path) throws Exception {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        return file;
    }
}
