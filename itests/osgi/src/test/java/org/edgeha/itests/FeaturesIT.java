package org.edgeha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Features installed, updated and removed at run time in a real Felix: bundles from the gateway's repository folder
 * ({@code ${edgeha.home}/repository}, Maven layout), the project's own {@code features/examples.json}, and small
 * test bundles written into the repository by the test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeaturesIT {

    private static final long DEADLINE_MS = 20_000;
    private static final String EXAMPLE_BSN = "org.edgeha.examples.recovery";
    private static final String GROUPS_BSN = "org.edgeha.examples.groups";

    @Inject
    private BundleContext context;

    @Inject
    private FeatureManager features;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base()};
    }

    @After
    public void removeWhatATestLeft() throws Exception {
        for (InstalledFeature f : features.list()) {
            features.remove(f.id());
        }
    }

    private Path home() {
        return Path.of(context.getProperty("edgeha.home"));
    }

    /** @return {@code features/examples.json}, with the example bundles put into the repository at their versions */
    private Path examplesFeature() throws IOException {
        Path feature = Path.of(System.getProperty("edgeha.itest.features"), "examples.json");
        putIntoRepository(feature, EXAMPLE_BSN, System.getProperty("edgeha.example.strategy.jar"));
        putIntoRepository(feature, GROUPS_BSN, System.getProperty("edgeha.example.groups.jar"));
        return feature;
    }

    private void putIntoRepository(Path feature, String bsn, String built) throws IOException {
        Matcher m = Pattern.compile("\"org\\.edgeha:" + Pattern.quote(bsn) + ":([^\"]+)\"")
                .matcher(Files.readString(feature));
        assertTrue("examples.json lists " + bsn, m.find());
        Path jar = artifact("org.edgeha", bsn, m.group(1));
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(built), jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path artifact(String group, String artifact, String version) {
        return home().resolve("repository").resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + ".jar");
    }

    /** Writes a test bundle without classes into the repository as {@code org.edgeha.test:BSN:VERSION}. */
    private String testBundle(String bsn, String version, String imports) throws IOException {
        TestBundles.write(artifact("org.edgeha.test", bsn, version), bsn, version, imports);
        return "{\"id\": \"org.edgeha.test:" + bsn + ":" + version + "\"}";
    }

    private Path featureFile(String id, String bundles, String configurations) throws IOException {
        Path file = Files.createDirectories(home().resolve("test-features")).resolve(id.replace(':', '_') + ".json");
        Files.writeString(file, "{\"feature-resource-version\": \"1.0\", \"id\": \"" + id + "\", \"bundles\": [" + bundles
                + "], \"configurations\": {" + configurations + "}}", StandardCharsets.UTF_8);
        return file;
    }

    /** @return every bundle as "id symbolic-name version state", by id */
    private List<String> framework() {
        return Arrays.stream(context.getBundles()).sorted(Comparator.comparingLong(Bundle::getBundleId))
                .map(b -> b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion() + " " + b.getState())
                .collect(Collectors.toList());
    }

    private Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    private boolean configured(String pid) throws Exception {
        return configAdmin.listConfigurations("(service.pid=" + pid + ")") != null;
    }

    /** @return null when every component of the bundle is active or satisfied, else what is not */
    private String componentsOf(Bundle bundle) {
        List<ComponentDescriptionDTO> descriptions = new ArrayList<>(scr.getComponentDescriptionDTOs(bundle));
        if (descriptions.isEmpty()) {
            return "no component in " + bundle.getSymbolicName() + " yet";
        }
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : descriptions) {
            if (!d.defaultEnabled && !scr.isComponentEnabled(d)) {
                continue; // declared off, switched on by its own bundle when needed (the engine's local network)
            }
            var configurations = scr.getComponentConfigurationDTOs(d);
            if (configurations.isEmpty() && !"require".equals(d.configurationPolicy)) {
                problems.add(d.name + " has no configuration");
            }
            for (ComponentConfigurationDTO c : configurations) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(d.name + " state " + c.state);
                }
            }
        }
        return problems.isEmpty() ? null : problems.toString();
    }

    @Test
    public void aFeatureInstalledAtRunTimeBecomesActive() throws Exception {
        assertFalse("the examples are not provisioned", bundle(EXAMPLE_BSN).isPresent() || bundle(GROUPS_BSN).isPresent());
        InstalledFeature installed = features.install(examplesFeature());

        assertEquals("org.edgeha:examples:" + installed.id().split(":")[2], installed.id());
        assertEquals(installed.toString(), 2, installed.ownedBundles().size());
        for (String bsn : List.of(EXAMPLE_BSN, GROUPS_BSN)) {
            Bundle example = bundle(bsn).orElseThrow(() -> new AssertionError("not installed: " + framework()));
            assertEquals(Bundle.ACTIVE, example.getState());
            assertTrue(installed.toString(), installed.ownedBundles().stream().anyMatch(b -> b.startsWith(bsn + " ")));
            assertTrue(example.getLocation(), example.getLocation().startsWith("edgeha-feature:"));
            String problem = Await.until(DEADLINE_MS, () -> componentsOf(example));
            assertNull(problem, problem);
        }
        assertEquals(List.of(installed.id()), features.list().stream().map(InstalledFeature::id).collect(Collectors.toList()));
        assertTrue("recorded for the next start",
                Files.exists(home().resolve("data/features/org.edgeha~examples.json")));
    }

    @Test
    public void removingAFeatureLeavesNoBundleOfItBehindAndTheRestRunning() throws Exception {
        List<String> before = framework();
        Path examples = examplesFeature();
        Path a = featureFile("org.edgeha.test:shared-a:1.0.0",
                testBundle("test.shared", "1.0.0", null) + "," + testBundle("test.only.a", "1.0.0", null)
                        // already in the runtime, with no artifact in the repository: used, never uninstalled
                        + ", {\"id\": \"org.edgeha:org.edgeha.recovery.api:0.1.0-SNAPSHOT\"}",
                "\"org.edgeha.test.a\": {\"x:Integer\": 1}, \"org.edgeha.test.factory~one\": {\"home\": \"${edgeha.home}\"}");
        Path b = featureFile("org.edgeha.test:shared-b:1.0.0", testBundle("test.shared", "1.0.0", null), "");

        features.install(examples);
        InstalledFeature installedA = features.install(a);
        features.install(b);
        assertEquals(List.of("test.shared 1.0.0", "test.only.a 1.0.0"), installedA.ownedBundles());
        assertTrue(configured("org.edgeha.test.a") && configured("org.edgeha.test.factory~one"));
        assertEquals(home().toString(), ConfigFinder.value(configAdmin, "org.edgeha.test.factory~one", "home"));

        features.remove("shared-a");
        assertFalse("only a needed it", bundle("test.only.a").isPresent());
        assertTrue("b needs it too", bundle("test.shared").map(x -> x.getState() == Bundle.ACTIVE).orElse(false));
        assertTrue("not installed by a feature", bundle("org.edgeha.recovery.api").map(x -> x.getState() == Bundle.ACTIVE)
                .orElse(false));
        assertFalse(configured("org.edgeha.test.a"));
        assertFalse(configured("org.edgeha.test.factory~one"));

        features.remove("org.edgeha.test:shared-b:1.0.0");
        assertFalse(bundle("test.shared").isPresent());
        features.remove("org.edgeha:examples");
        assertFalse(bundle(EXAMPLE_BSN).isPresent() || bundle(GROUPS_BSN).isPresent());

        assertEquals("the framework is as before: same bundles, same states", before, framework());
        assertTrue(features.list().isEmpty());
        for (Bundle x : context.getBundles()) {
            if (x.getSymbolicName().startsWith("org.edgeha.") && !x.getSymbolicName().equals("org.edgeha.itests")) {
                String problem = componentsOf(x);
                assertTrue(x.getSymbolicName() + ": " + problem, problem == null || problem.startsWith("no component"));
            }
        }
        assertFalse(Files.exists(home().resolve("data/features/org.edgeha~examples.json")));
    }

    @Test
    public void removingAFeatureStopsItsBundlesBeforeItDeletesTheirConfigurations() throws Exception {
        // issue 14: configurations went first, so a bundle re-initialised on its defaults while being removed
        examplesFeature(); // puts the example bundles into the repository
        Path feature = featureFile("org.edgeha.test:errors:1.0.0",
                "{\"id\": \"org.edgeha:" + GROUPS_BSN + ":0.1.0-SNAPSHOT\"}",
                "\"org.edgeha.examples.groups.errors\": {\"gs.client.name\": [\"gs.shell\"]}");
        features.install(feature);
        Bundle groups = bundle(GROUPS_BSN).orElseThrow();
        String problem = Await.until(DEADLINE_MS, () -> componentsOf(groups));
        assertNull(problem, problem);
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        org.osgi.framework.ServiceListener listener = event -> {
            if (event.getServiceReference().getBundle() == groups) {
                events.add((event.getType() == org.osgi.framework.ServiceEvent.REGISTERED ? "REGISTERED"
                        : event.getType() == org.osgi.framework.ServiceEvent.UNREGISTERING ? "UNREGISTERING" : "MODIFIED")
                        + " while the bundle is " + (groups.getState() == Bundle.ACTIVE ? "ACTIVE"
                        : groups.getState() == Bundle.STOPPING ? "STOPPING" : Integer.toString(groups.getState())));
            }
        };
        context.addServiceListener(listener, "(objectClass=org.edgeha.gs.api.DelayedErrorCallback)");
        try {
            features.remove("org.edgeha.test:errors");
        } finally {
            context.removeServiceListener(listener);
        }
        assertFalse(bundle(GROUPS_BSN).isPresent());
        assertFalse(configured("org.edgeha.examples.groups.errors"));
        assertEquals("the callback went away once, with its bundle", List.of("UNREGISTERING while the bundle is STOPPING"),
                events);
    }

    @Test
    public void aFeatureWithAMissingRequirementIsRefusedAndNothingChanges() throws Exception {
        Path broken = featureFile("org.edgeha.test:broken:1.0.0",
                testBundle("test.good", "1.0.0", null) + ","
                        + testBundle("test.needs.nobody", "1.0.0", "org.edgeha.nobody.exports.this;version=\"[1,2)\""),
                "\"org.edgeha.test.broken\": {\"a\": \"b\"}");
        List<String> before = framework();
        try {
            features.install(broken);
            fail("installed: " + framework());
        } catch (FeatureException e) {
            String message = e.getMessage();
            assertTrue(message, message.contains("org.edgeha.test:broken:1.0.0 refused, nothing changed"));
            assertTrue(message, message.contains("bundle test.needs.nobody 1.0.0 does not resolve: missing requirement"
                    + " osgi.wiring.package; (&(osgi.wiring.package=org.edgeha.nobody.exports.this)"));
            assertFalse(message, message.contains("test.good 1.0.0 does not resolve"));
        }
        assertEquals("the framework's bundles are exactly as before", before, framework());
        assertFalse(configured("org.edgeha.test.broken"));
        assertTrue(features.list().isEmpty());
        assertFalse(Files.exists(home().resolve("data/features/org.edgeha.test~broken.json")));
    }

    @Test
    public void aFeatureWithABundleNowhereIsRefusedNamingWhereItWasLookedFor() throws Exception {
        Path feature = featureFile("org.edgeha.test:absent:1.0.0", "{\"id\": \"org.edgeha.test:not.there:1.0.0\"}", "");
        List<String> before = framework();
        try {
            features.install(feature);
            fail("installed");
        } catch (FeatureException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("org.edgeha.test:not.there:1.0.0 is neither installed nor in the"
                    + " repository (looked for " + artifact("org.edgeha.test", "not.there", "1.0.0")));
        }
        assertEquals(before, framework());
    }

    @Test
    public void anUpdateReplacesWhatOnlyTheOldVersionNeeded() throws Exception {
        Path v1 = featureFile("org.edgeha.test:upd:1.0.0",
                testBundle("test.upd", "1.0.0", null) + "," + testBundle("test.upd.keep", "1.0.0", null),
                "\"org.edgeha.test.upd\": {\"v\": \"1\"}, \"org.edgeha.test.upd.old\": {\"x\": \"y\"}");
        Path v2 = featureFile("org.edgeha.test:upd:2.0.0",
                testBundle("test.upd", "2.0.0", null) + "," + testBundle("test.upd.keep", "1.0.0", null),
                "\"org.edgeha.test.upd\": {\"v\": \"2\"}");
        features.install(v1);
        long kept = bundle("test.upd.keep").orElseThrow().getBundleId();

        InstalledFeature updated = features.install(v2);
        assertEquals("org.edgeha.test:upd:2.0.0", updated.id());
        assertEquals(1, features.list().size());
        List<String> upd = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("test.upd"))
                .map(b -> b.getVersion() + " " + b.getState()).collect(Collectors.toList());
        assertEquals(List.of("2.0.0 " + Bundle.ACTIVE), upd);
        assertEquals("the bundle both versions list stays", kept, bundle("test.upd.keep").orElseThrow().getBundleId());
        assertEquals("2", ConfigFinder.value(configAdmin, "org.edgeha.test.upd", "v"));
        assertFalse(configured("org.edgeha.test.upd.old"));
    }

    @Test
    public void aFeatureIsInstalledByIdFromTheRepository() throws Exception {
        Path file = home().resolve("repository/org/edgeha/test/byid/1.0.0/byid-1.0.0.osgifeature");
        Files.createDirectories(file.getParent());
        Files.copy(featureFile("org.edgeha.test:byid:1.0.0", testBundle("test.byid", "1.0.0", null), ""), file);
        assertEquals("org.edgeha.test:byid:1.0.0", features.install("org.edgeha.test:byid:1.0.0").id());
        assertEquals(Bundle.ACTIVE, bundle("test.byid").orElseThrow().getState());
        try {
            features.install("org.edgeha.test:byid:9.9.9");
            fail();
        } catch (FeatureException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no feature org.edgeha.test:byid:9.9.9 in the repository"));
        }
    }
}
