package org.edgeha.features.reader;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.edgeha.features.api.FeatureException;
import org.junit.Test;
import org.osgi.service.feature.FeatureService;

/** Reading and checking feature files with Felix's Feature Service used as a plain library. */
public class FeatureFileTest {

    static final FeatureService SERVICE = ServiceLoader.load(FeatureService.class).findFirst().orElseThrow();

    private static final Function<String, String> NO_PROPERTIES = name -> null;

    private static FeatureSpec read(String json, Function<String, String> properties) throws FeatureException {
        return FeatureFile.read(json.replace('\'', '"'), "test.json", SERVICE, properties);
    }

    private static String refused(String json) {
        try {
            read(json, NO_PROPERTIES);
        } catch (FeatureException e) {
            return e.getMessage();
        }
        fail("accepted: " + json);
        return null;
    }

    @Test
    public void aValidFeatureGivesIdBundlesStartOrderAndTypedConfigurations() throws Exception {
        FeatureSpec spec = read("{'feature-resource-version': '1.0', 'id': 'org.edgeha:demo:1.2.0', 'name': 'Demo',"
                + " 'variables': {'port': '502', 'where': null},"
                + " 'bundles': [{'id': 'org.edgeha:org.edgeha.a:1.0.0', 'start-order': 2}, {'id': 'org.edgeha:org.edgeha.b:1.0.0'}],"
                + " 'configurations': {"
                + "   'org.edgeha.demo': {'endpoint': 'plc:${port}', 'home': '${edgeha.home}/x', 'count:Integer': 3,"
                + "                        'names:String[]': ['a', '${port}']},"
                + "   'org.edgeha.demo.factory~one': {'ranking:Integer': 10}}}",
                name -> name.equals("edgeha.home") ? "/gw" : null);
        assertEquals("org.edgeha:demo:1.2.0", spec.id().toString());
        assertEquals("org.edgeha:demo", spec.key());
        assertEquals("Demo", spec.name());
        assertEquals(2, spec.bundles().size());
        assertEquals("org.edgeha:org.edgeha.a:1.0.0", spec.bundles().get(0).id().toString());
        assertEquals(Integer.valueOf(2), spec.bundles().get(0).startOrder());
        assertNull(spec.bundles().get(1).startOrder());

        ConfigSpec single = spec.configurations().stream().filter(c -> c.factoryPid() == null).findFirst().orElseThrow();
        assertEquals("org.edgeha.demo", single.pid());
        Map<String, Object> values = single.values();
        assertEquals("plc:502", values.get("endpoint"));
        assertEquals("/gw/x", values.get("home"));
        assertEquals(3, values.get("count"));
        assertArrayEquals(new String[] {"a", "502"}, (String[]) values.get("names"));

        ConfigSpec factory = spec.configurations().stream().filter(c -> c.factoryPid() != null).findFirst().orElseThrow();
        assertEquals("org.edgeha.demo.factory", factory.factoryPid());
        assertEquals("one", factory.name());
        assertEquals("org.edgeha.demo.factory~one", factory.pid());
        assertEquals(10, factory.values().get("ranking"));
    }

    @Test
    public void aPropertyOverridesTheVariablesDefault() throws Exception {
        FeatureSpec spec = read("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'variables': {'port': '502'},"
                + " 'configurations': {'p': {'v': '${port}'}}}", name -> name.equals("port") ? "1502" : null);
        assertEquals("1502", spec.configurations().get(0).values().get("v"));
    }

    @Test
    public void aPlainStringBundleEntryIsRefusedNotSkipped() {
        String message = refused("{'feature-resource-version': '1.0', 'id': 'g:a:1',"
                + " 'bundles': [{'id': 'g:b:1'}, 'g:c:1']}");
        assertTrue(message, message.contains("bundles[1] must be an object"));
    }

    @Test
    public void theResourceVersionMustBePresentAndOneDotSomething() {
        assertTrue(refused("{'id': 'g:a:1'}").contains("feature-resource-version"));
        assertTrue(refused("{'feature-resource-version': '2.0', 'id': 'g:a:1'}").contains("\"2.0\""));
        assertTrue(refused("{'feature-resource-version': 1.0, 'id': 'g:a:1'}").contains("feature-resource-version"));
    }

    @Test
    public void idsMustBeCompleteMavenCoordinates() {
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'only-a-name'}").contains("\"only-a-name\""));
        assertTrue(refused("{'feature-resource-version': '1.0'}").contains("id must be a string"));
        String message = refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'bundles': [{'id': 'g:b'}]}");
        assertTrue(message, message.contains("bundles[0].id \"g:b\""));
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'bundles': [{'id': 'g:b:${v}'}]}")
                .contains("bundles[0].id"));
    }

    @Test
    public void badStartOrderDuplicateBundlesUnknownPlaceholdersAndBadJsonAreRefused() {
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'bundles': [{'id': 'g:b:1', 'start-order': 'x'}]}")
                .contains("start-order"));
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'bundles': [{'id': 'g:b:1'}, {'id': 'g:b:2'}]}")
                .contains("a second time"));
        String message = refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'configurations': {'p': {'v': '${nope}'}}}");
        assertTrue(message, message.contains("${nope}") && message.contains("configuration p v"));
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1'").contains("not a JSON object"));
        assertTrue(refused("[]").contains("not a JSON object"));
        // found by FeatureFileFuzzTest: a start-order beyond int was read wrapped (4294967297 as 1), and a number
        // with a huge exponent escaped as NumberFormatException
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'bundles': [{'id': 'g:b:1', 'start-order': 4294967297}]}")
                .contains("start-order"));
        assertTrue(refused("{'feature-resource-version': '1.0', 'id': 'g:a:1', 'x': 6E66666666666}").contains("not a JSON object"));
        message = refused("{'feature-resource-version': '1.0', 'id': 'g:a:1',"
                + " 'extensions': {'x': {'kind': 'mandatory', 'type': 'text', 'text': ['y']}}}");
        assertTrue(message, message.contains("extension \"x\" is mandatory"));
    }

    @Test
    public void everyFeatureFileOfTheProjectIsValidAndNamedAfterItsArtifactId() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("../../features"))) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(json.toString(), json.size() >= 7);
            for (Path file : json) {
                FeatureSpec spec = FeatureFile.read(java.nio.file.Files.readString(file), file.toString(), SERVICE, NO_PROPERTIES);
                assertEquals(file.toString(), "org.edgeha", spec.id().getGroupId());
                assertEquals(file.getFileName().toString(), spec.id().getArtifactId() + ".json");
                assertFalse(file + " lists bundles", spec.bundles().isEmpty());
            }
        }
    }
}
