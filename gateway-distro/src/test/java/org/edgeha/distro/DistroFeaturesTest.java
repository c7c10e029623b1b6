package org.edgeha.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.edgeha.features.api.FeatureException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The build step that derives the bndrun's -runrequires from the feature files, and checks -runbundles. */
public class DistroFeaturesTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private static final String BNDRUN = "-runfw: x\n"
            + "edgeha.distro.features: core, shell\n"
            + "-runrequires: \\\n"
            + "    bnd.identity;id='old.one',\\\n"
            + "    bnd.identity;id='old.two'\n"
            + "\n-runstorage: data\n"
            + "-runbundles: \\\n"
            + "\ta;version='[1.0.0,1.0.1)',\\\n"
            + "\tb;version='[2.0.0,2.0.1)'";

    @Test
    public void runRequiresAreReplacedByTheFeaturesBundlesAndTheRestIsKept() {
        String once = DistroFeatures.withRunRequires(BNDRUN, List.of("a", "b"));
        assertTrue(once, once.contains(DistroFeatures.GENERATED_NOTE + "\n-runrequires: \\\n"
                + "    bnd.identity;id='a',\\\n    bnd.identity;id='b'\n\n-runstorage: data\n"));
        assertTrue(once, !once.contains("old.one") && once.startsWith("-runfw: x\nedgeha.distro.features: core, shell\n"));
        assertEquals("generating again changes nothing", once, DistroFeatures.withRunRequires(once, List.of("a", "b")));
        assertEquals("core, shell", DistroFeatures.property(once, DistroFeatures.FEATURES_PROPERTY));
    }

    @Test
    public void runBundlesMustBeExactlyTheFeaturesBundles() {
        assertEquals(Set.of("a", "b"), DistroFeatures.runBundles(BNDRUN));
        assertNull(DistroFeatures.compare(Set.of("a", "b"), Set.of("a", "b")));
        String problem = DistroFeatures.compare(Set.of("a", "b", "c"), Set.of("a", "b"));
        assertTrue(problem, problem.contains("the resolver added [c]"));
        problem = DistroFeatures.compare(Set.of("a"), Set.of("a", "b"));
        assertTrue(problem, problem.contains("the features list [b]"));
    }

    @Test
    public void theDistroFeaturesOfTheProjectAreValid() throws Exception {
        Path distro = Path.of("edgeha-gateway.bndrun");
        var features = DistroFeatures.readFeatures(Files.readString(distro), Path.of("../features"));
        assertTrue(features.size() >= 5);
        assertTrue(features.stream().anyMatch(f -> f.id().toString().equals("org.edgeha:core:0.1.0-SNAPSHOT")));
    }

    @Test
    public void theOptionalFeaturesAndTheirBundlesGoIntoTheRepositoryInMavenLayout() throws Exception {
        Path features = temp.newFolder("features").toPath();
        Files.writeString(features.resolve("core.json"), feature("core", "org.example:in-distro:1.0.0"));
        Files.writeString(features.resolve("extra.json"), feature("extra", "org.example:lib:2.1.0"));
        Path deps = temp.newFolder("deps").toPath();
        Path lib = bundle(deps.resolve("lib-2.1.0.jar"), "org.example.lib");
        Path out = temp.getRoot().toPath().resolve("repository");

        String bndrun = "edgeha.distro.features: core\n";
        assertEquals(1, DistroFeatures.repository(bndrun, features, List.of(lib), out));
        assertTrue(Files.exists(out.resolve("org/example/lib/2.1.0/lib-2.1.0.jar")));
        assertTrue(Files.exists(out.resolve("org/edgeha/extra/1.0.0/extra-1.0.0.json")));
        assertFalse("distro features are in the gateway jar, not the repository",
                Files.exists(out.resolve("org/edgeha/core")));

        Files.writeString(features.resolve("more.json"), feature("more", "org.example:missing:1.0.0"));
        FeatureException e = assertThrows(FeatureException.class,
                () -> DistroFeatures.repository(bndrun, features, List.of(lib), out));
        assertTrue(e.getMessage(), e.getMessage().contains("org.example:missing:1.0.0")
                && e.getMessage().contains("scope provided"));
    }

    private static String feature(String artifactId, String bundle) {
        return "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha:" + artifactId + ":1.0.0\","
                + " \"bundles\": [{\"id\": \"" + bundle + "\"}]}";
    }

    private static Path bundle(Path jar, String bsn) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }
}
