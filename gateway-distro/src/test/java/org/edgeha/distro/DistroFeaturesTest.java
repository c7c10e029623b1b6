package org.edgeha.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.Test;

/** The build step that derives the bndrun's -runrequires from the feature files, and checks -runbundles. */
public class DistroFeaturesTest {

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
}
