package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.reader.BundleSpec;
import org.edgeha.features.reader.FeatureFile;
import org.edgeha.features.reader.FeatureSpec;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.feature.FeatureService;

/**
 * Which feature in the repository would provide what bundles miss: for a refused install, "feature 'logging'
 * (org.edgeha:logging:…) provides org.slf4j: feature:install logging". Reads the repository's feature files and their
 * bundles' manifests (exported packages, provided capabilities) when asked, so it knows nothing stale; a repository
 * of a few features reads in milliseconds. Used on the installing thread only.
 */
final class FeatureHints {

    private static final int MAX_DEPTH = 12;

    private final Repository repository;
    private final FeatureService featureService;

    FeatureHints(Repository repository, FeatureService featureService) {
        this.repository = repository;
        this.featureService = featureService;
    }

    /** A capability one bundle of a feature provides: its namespace and attributes. */
    record Capability(String namespace, Map<String, Object> attributes) {
    }

    /**
     * @param missing requirements no installed bundle provides
     * @param except the key ({@code groupId:artifactId}) of the feature being installed, never suggested
     * @return one sentence per feature that provides some of them, or an empty list
     */
    List<String> suggest(List<Requirement> missing, String except) {
        if (missing.isEmpty()) {
            return List.of();
        }
        Map<FeatureSpec, Set<String>> provides = new LinkedHashMap<>();
        for (FeatureSpec feature : features()) {
            if (feature.key().equals(except)) {
                continue;
            }
            List<Capability> capabilities = capabilities(feature);
            for (Requirement r : missing) {
                Filter filter = filter(r);
                if (capabilities.stream().anyMatch(c -> c.namespace().equals(r.getNamespace())
                        && (filter == null || filter.matches(c.attributes())))) {
                    provides.computeIfAbsent(feature, f -> new LinkedHashSet<>()).add(Diagnosis.name(r));
                }
            }
        }
        dropCovered(provides);
        List<String> hints = new ArrayList<>();
        provides.forEach((feature, names) -> {
            String id = feature.id().toString();
            String install = id.startsWith(FeatureManagerImpl.EDGEHA_GROUP + ":") ? feature.id().getArtifactId() : id;
            hints.add("feature '" + install + "' (" + id + ", in the repository) provides " + String.join(", ", names)
                    + ": feature:install " + install);
        });
        return hints;
    }

    /**
     * Leaves out each feature that provides only part of what another one provides: it adds nothing to the advice
     * (the health feature brings the servlet API too, but http is what a web console needs). Features that provide
     * the same are all kept.
     */
    static <K> void dropCovered(Map<K, Set<String>> provides) {
        Map<K, Set<String>> all = new LinkedHashMap<>(provides);
        provides.entrySet().removeIf(e -> all.values().stream()
                .anyMatch(other -> other.size() > e.getValue().size() && other.containsAll(e.getValue())));
    }

    private static Filter filter(Requirement r) {
        String text = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        try {
            return text == null ? null : FrameworkUtil.createFilter(text);
        } catch (InvalidSyntaxException e) {
            return null;
        }
    }

    /** @return the features in the repository folders (Maven layout: {@code .../a/1.0/a-1.0.json}) */
    private List<FeatureSpec> features() {
        List<FeatureSpec> features = new ArrayList<>();
        Set<String> keys = new java.util.HashSet<>();
        for (Path root : repository.roots()) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Optional<FeatureSpec> spec = feature(file);
                    if (spec.isPresent() && keys.add(spec.get().id().toString())) {
                        features.add(spec.get());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable folder: no hint from it
            }
        }
        return features;
    }

    private Optional<FeatureSpec> feature(Path file) {
        String name = file.getFileName().toString();
        Path version = file.getParent();
        if (version == null || version.getParent() == null || Repository.FEATURE_TYPES.stream().noneMatch(
                type -> name.equals(version.getParent().getFileName() + "-" + version.getFileName() + "." + type))) {
            return Optional.empty();
        }
        try {
            // placeholders do not matter here: only the bundles are read
            return Optional.of(FeatureFile.read(Files.readString(file, StandardCharsets.UTF_8), file.toString(),
                    featureService, property -> "0"));
        } catch (IOException | FeatureException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<Capability> capabilities(FeatureSpec feature) {
        List<Capability> capabilities = new ArrayList<>();
        for (BundleSpec bundle : feature.bundles()) {
            Optional<Path> jar = repository.find(bundle.id());
            if (jar.isEmpty()) {
                continue;
            }
            try (JarFile file = new JarFile(jar.get().toFile())) {
                Manifest manifest = file.getManifest();
                if (manifest != null) {
                    capabilities.addAll(capabilities(manifest.getMainAttributes().getValue("Export-Package"),
                            manifest.getMainAttributes().getValue("Provide-Capability")));
                }
            } catch (IOException | RuntimeException e) {
                // not a readable bundle: nothing it provides
            }
        }
        return capabilities;
    }

    /** @return the capabilities a manifest's Export-Package and Provide-Capability headers name */
    static List<Capability> capabilities(String exportPackage, String provideCapability) {
        List<Capability> capabilities = new ArrayList<>();
        for (List<String> clause : clauses(exportPackage)) {
            Map<String, Object> attributes = attributes(clause);
            Object version = attributes.getOrDefault("version", attributes.getOrDefault("specification-version", "0"));
            for (String name : names(clause)) {
                Map<String, Object> a = new HashMap<>(attributes);
                a.put("osgi.wiring.package", name);
                a.put("version", version instanceof Version ? version : Version.parseVersion(version.toString()));
                capabilities.add(new Capability("osgi.wiring.package", a));
            }
        }
        for (List<String> clause : clauses(provideCapability)) {
            for (String namespace : names(clause)) {
                capabilities.add(new Capability(namespace, attributes(clause)));
            }
        }
        return capabilities;
    }

    /** @return the header's clauses, each split into its parts at semicolons (quotes respected) */
    static List<List<String>> clauses(String header) {
        List<List<String>> clauses = new ArrayList<>();
        if (header == null) {
            return clauses;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (!quoted && (c == ';' || c == ',')) {
                parts.add(part.toString().trim());
                part.setLength(0);
                if (c == ',') {
                    clauses.add(parts);
                    parts = new ArrayList<>();
                }
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString().trim());
        clauses.add(parts);
        return clauses;
    }

    private static List<String> names(List<String> clause) {
        return clause.stream().filter(p -> !p.contains("=") && !p.isEmpty()).toList();
    }

    /** @return the clause's attributes, typed as declared ({@code version:Version=1.2}, {@code objectClass:List<String>=a,b}) */
    private static Map<String, Object> attributes(List<String> clause) {
        Map<String, Object> attributes = new HashMap<>();
        for (String p : clause) {
            int eq = p.indexOf('=');
            if (eq <= 0 || p.charAt(eq - 1) == ':') {
                continue; // a name, or a directive (uses:=...)
            }
            String key = p.substring(0, eq).trim();
            String value = p.substring(eq + 1).trim();
            String type = "String";
            int colon = key.indexOf(':');
            if (colon > 0) {
                type = key.substring(colon + 1).trim();
                key = key.substring(0, colon).trim();
            }
            try {
                attributes.put(key, typed(type, value));
            } catch (IllegalArgumentException e) {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    private static Object typed(String type, String value) {
        if (type.startsWith("List<")) {
            String element = type.substring(5, type.length() - 1);
            List<Object> list = new ArrayList<>();
            for (String v : value.split("\\s*,\\s*")) {
                list.add(typed(element, v));
            }
            return list;
        }
        return switch (type) {
            case "Version" -> Version.parseVersion(value);
            case "Long" -> Long.valueOf(value);
            case "Double" -> Double.valueOf(value);
            default -> value;
        };
    }
}
