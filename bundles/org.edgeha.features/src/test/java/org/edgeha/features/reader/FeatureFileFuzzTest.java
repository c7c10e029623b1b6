package org.edgeha.features.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;

import org.edgeha.features.api.FeatureException;
import org.osgi.service.feature.FeatureService;

import com.code_intelligence.jazzer.junit.FuzzTest;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Feature files (dropped into deploy/, installed by a shell command or a signed management request):
 * {@link FeatureFile#read} returns a checked feature or throws {@link FeatureException}, never anything else; a
 * feature it returns has complete bundle ids, each {@code start-order} exactly as written (a non-negative int), and no
 * {@code ${...}} placeholder left in a configuration value. Seeds: the distribution's own feature files.
 */
class FeatureFileFuzzTest {

    private static final FeatureService SERVICE = ServiceLoader.load(FeatureService.class).findFirst().orElseThrow();
    private static final Map<String, String> PROPERTIES = Map.of("edgeha.node", "3", "port", "1883");

    @FuzzTest(maxDuration = "30s")
    void read(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        FeatureSpec spec;
        try {
            spec = FeatureFile.read(text, "fuzz.json", SERVICE, PROPERTIES::get);
        } catch (FeatureException refused) {
            return;
        }
        JsonObject json;
        try (var reader = Json.createReader(new StringReader(text))) {
            json = reader.readObject();
        }
        var listed = json.containsKey("bundles") ? json.getJsonArray("bundles") : jakarta.json.JsonValue.EMPTY_JSON_ARRAY;
        assertEquals(listed.size(), spec.bundles().size());
        for (int i = 0; i < spec.bundles().size(); i++) {
            BundleSpec b = spec.bundles().get(i);
            assertFalse(b.id().getGroupId().isBlank() || b.id().getArtifactId().isBlank() || b.id().getVersion().isBlank());
            JsonValue order = listed.getJsonObject(i).get(FeatureFile.START_ORDER);
            if (order == null) {
                assertEquals(null, b.startOrder());
            } else {
                assertTrue(b.startOrder() != null && b.startOrder() >= 0);
                assertEquals(0, ((JsonNumber) order).bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(b.startOrder())),
                        "start-order " + order + " read as " + b.startOrder());
            }
        }
        for (ConfigSpec c : spec.configurations()) {
            for (Object v : c.values().values()) {
                if (v instanceof String s) {
                    assertFalse(s.contains("${") && PROPERTIES.keySet().stream().anyMatch(k -> s.contains("${" + k + "}")),
                            "placeholder left in " + s);
                }
            }
        }
    }
}
