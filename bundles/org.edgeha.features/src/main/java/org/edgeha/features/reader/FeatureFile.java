package org.edgeha.features.reader;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.edgeha.features.api.FeatureException;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * Reads and checks one OSGi Feature JSON document (R8 ch. 159) with the Feature Service, plus the checks the
 * Felix implementation leaves out: {@code feature-resource-version} must be present and 1.x, every bundle entry
 * must be an object with an {@code id} (the implementation skips plain strings silently), ids must be complete
 * Maven coordinates, {@code start-order} a non-negative integer, and every {@code ${name}} placeholder in a
 * configuration value must be known (the implementation returns them unchanged; we substitute them).
 *
 * <p>Stateless and thread-safe; also used outside OSGi by the distro build.
 */
public final class FeatureFile {

    /** Bundle metadata key: bundles start in ascending order; bundles without it start last. */
    public static final String START_ORDER = "start-order";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private FeatureFile() {
    }

    /**
     * @param text the feature file's content
     * @param source where it came from, for messages (a file name)
     * @param service the Feature Service that parses it
     * @param properties framework properties: a {@code ${name}} placeholder takes the property {@code name} when it
     *     is set, else the feature's variable of that name
     */
    public static FeatureSpec read(String text, String source, FeatureService service,
            Function<String, String> properties) throws FeatureException {
        JsonObject json;
        try {
            json = Json.createReader(new StringReader(text)).readObject();
        } catch (JsonException | IllegalStateException | IllegalArgumentException e) {
            // IllegalArgumentException: the parser lets BigDecimal's NumberFormatException out for a number such as
            // 1E99999999999 (found by FeatureFileFuzzTest)
            throw new FeatureException(source + " is not a JSON object: " + e.getMessage());
        }
        checkResourceVersion(json, source);
        ID id = id(json.get("id"), source, "id", service);
        List<BundleSpec> bundles = bundles(json, source, service);

        Feature feature;
        try {
            feature = service.readFeature(new StringReader(text));
        } catch (IOException | RuntimeException e) {
            throw new FeatureException(source + " is not a valid feature: " + e.getMessage(), e);
        }
        if (feature.getBundles().size() != bundles.size()) {
            throw new FeatureException(source + ": the Feature Service read " + feature.getBundles().size()
                    + " bundles, the file lists " + bundles.size());
        }
        for (int i = 0; i < bundles.size(); i++) {
            FeatureBundle read = feature.getBundles().get(i);
            if (!read.getID().toString().equals(bundles.get(i).id().toString())) {
                throw new FeatureException(source + ": bundles[" + i + "] read as " + read.getID() + ", expected "
                        + bundles.get(i).id());
            }
        }
        for (Map.Entry<String, FeatureExtension> e : feature.getExtensions().entrySet()) {
            if (e.getValue().getKind() == FeatureExtension.Kind.MANDATORY) {
                // the specification: a mandatory extension nobody processes must fail the installation
                throw new FeatureException(source + ": extension \"" + e.getKey()
                        + "\" is mandatory, and the gateway processes no extensions");
            }
        }
        Function<String, Object> lookup = name -> {
            String property = properties.apply(name);
            return property != null ? property : feature.getVariables().get(name);
        };
        List<ConfigSpec> configurations = new ArrayList<>();
        for (FeatureConfiguration c : feature.getConfigurations().values()) {
            configurations.add(configuration(c, source, feature, lookup));
        }
        String name = feature.getName().orElse(id.getArtifactId());
        return new FeatureSpec(id, name, bundles, configurations, text);
    }

    private static void checkResourceVersion(JsonObject json, String source) throws FeatureException {
        JsonValue version = json.get("feature-resource-version");
        if (!(version instanceof JsonString) || !((JsonString) version).getString().matches("1(\\.\\d+)*")) {
            throw new FeatureException(source + ": \"feature-resource-version\" must be \"1.0\" (a 1.x version), not "
                    + (version == null ? "missing" : version.toString()));
        }
    }

    private static List<BundleSpec> bundles(JsonObject json, String source, FeatureService service)
            throws FeatureException {
        JsonValue value = json.get("bundles");
        List<BundleSpec> bundles = new ArrayList<>();
        if (value == null) {
            return bundles;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new FeatureException(source + ": \"bundles\" must be an array");
        }
        int i = 0;
        for (JsonValue entry : value.asJsonArray()) {
            String where = "bundles[" + i++ + "]";
            if (entry.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new FeatureException(source + ": " + where + " must be an object {\"id\": \"groupId:artifactId:version\"}, not "
                        + entry);
            }
            JsonObject object = entry.asJsonObject();
            ID id = id(object.get("id"), source, where + ".id", service);
            Integer startOrder = null;
            JsonValue order = object.get(START_ORDER);
            if (order != null) {
                // intValueExact: intValue() wraps, and read 4294967297 as 1 (found by FeatureFileFuzzTest)
                startOrder = order instanceof JsonNumber n && n.isIntegral() ? intOrNull(n) : null;
                if (startOrder == null || startOrder < 0) {
                    throw new FeatureException(source + ": " + where + ".start-order must be an integer from 0 to "
                            + Integer.MAX_VALUE + ", not " + order);
                }
            }
            for (BundleSpec other : bundles) {
                if (other.id().getGroupId().equals(id.getGroupId()) && other.id().getArtifactId().equals(id.getArtifactId())) {
                    throw new FeatureException(source + ": " + where + " lists " + id + " a second time");
                }
            }
            bundles.add(new BundleSpec(id, startOrder));
        }
        return bundles;
    }

    private static Integer intOrNull(JsonNumber n) {
        try {
            return n.intValueExact();
        } catch (ArithmeticException beyondInt) {
            return null;
        }
    }

    private static ID id(JsonValue value, String source, String where, FeatureService service) throws FeatureException {
        if (!(value instanceof JsonString)) {
            throw new FeatureException(source + ": " + where + " must be a string \"groupId:artifactId:version\", not "
                    + (value == null ? "missing" : value.toString()));
        }
        String text = ((JsonString) value).getString();
        try {
            ID id = service.getIDfromMavenCoordinates(text);
            if (id.getGroupId().isBlank() || id.getArtifactId().isBlank() || id.getVersion().isBlank()
                    || text.contains("${")) {
                throw new IllegalArgumentException("empty part");
            }
            return id;
        } catch (RuntimeException e) {
            throw new FeatureException(source + ": " + where + " \"" + text
                    + "\" is not Maven coordinates groupId:artifactId[:type[:classifier]]:version");
        }
    }

    private static ConfigSpec configuration(FeatureConfiguration c, String source, Feature feature,
            Function<String, Object> lookup) throws FeatureException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : c.getValues().entrySet()) {
            values.put(e.getKey(), substitute(e.getValue(), source + ": configuration " + c.getPid() + " " + e.getKey(),
                    lookup));
        }
        Optional<String> factoryPid = c.getFactoryPid();
        String name = null;
        if (factoryPid.isPresent()) {
            int tilde = c.getPid().indexOf('~');
            name = tilde < 0 ? c.getPid() : c.getPid().substring(tilde + 1);
        }
        return new ConfigSpec(c.getPid(), factoryPid.orElse(null), name, values);
    }

    private static Object substitute(Object value, String where, Function<String, Object> lookup)
            throws FeatureException {
        if (value instanceof String) {
            return substitute((String) value, where, lookup);
        }
        if (value instanceof String[]) {
            String[] in = (String[]) value;
            String[] out = new String[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = substitute(in[i], where, lookup);
            }
            return out;
        }
        return value; // numbers, booleans and their arrays carry no placeholders
    }

    private static String substitute(String text, String where, Function<String, Object> lookup)
            throws FeatureException {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object replacement = lookup.apply(m.group(1));
            if (replacement == null) {
                throw new FeatureException(where + " uses ${" + m.group(1)
                        + "}, which is neither a framework property nor a variable of the feature with a value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(replacement)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
