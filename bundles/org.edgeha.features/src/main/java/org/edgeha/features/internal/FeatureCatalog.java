package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.edgeha.features.api.InstalledFeature;
import org.edgeha.features.api.KnownFeature;

/**
 * What {@code feature:list} shows, Karaf-style: every feature the gateway knows, with id, version and state.
 * <ul>
 * <li><b>built-in</b>: the features the distro was built from, named by the build in the framework property
 * {@value #BUILTIN_PROPERTY} (ids separated by spaces; absent when the gateway was not started from the distro);</li>
 * <li><b>installed</b>: installed at run time ({@code feature:install}, {@code deploy/}, remote management);</li>
 * <li><b>available</b>: feature files in a repository folder, in Maven layout
 * ({@code group/path/artifactId/version/artifactId-version.osgifeature} or {@code .json}), not installed.</li>
 * </ul>
 * Stateless; reading the repository walks its folders (at most {@value #MAX_DEPTH} deep) on the calling thread.
 */
final class FeatureCatalog {

    /** Written into the distro by the build (gateway-distro's DistroFeatures). */
    static final String BUILTIN_PROPERTY = "org.edgeha.features.builtin";
    static final String BUILT_IN = KnownFeature.BUILT_IN;
    static final String INSTALLED = KnownFeature.INSTALLED;
    static final String AVAILABLE = KnownFeature.AVAILABLE;
    private static final int MAX_DEPTH = 12;

    /** One row of the list. */
    record Entry(String name, String version, String state, String detail) {
    }

    private FeatureCatalog() {
    }

    /**
     * @param builtIn the value of {@value #BUILTIN_PROPERTY}, or {@code null}
     * @param installed the features installed at run time
     * @param repositories the repository folders, in search order
     * @param home the gateway's home, to show repository paths relative to it
     * @return the rows: built-in, then installed, then available, each sorted by id
     */
    static List<Entry> entries(String builtIn, List<InstalledFeature> installed, List<Path> repositories, Path home) {
        List<Entry> rows = new ArrayList<>();
        Map<String, Boolean> known = new TreeMap<>();
        if (builtIn != null) {
            for (String id : new java.util.TreeSet<>(List.of(builtIn.trim().split("\\s+")))) {
                if (!id.isEmpty()) {
                    rows.add(new Entry(name(id), version(id), BUILT_IN, "in the distro"));
                    known.put(id, true);
                }
            }
        }
        installed.stream().sorted(java.util.Comparator.comparing(InstalledFeature::id)).forEach(f -> {
            rows.add(new Entry(name(f.id()), version(f.id()), INSTALLED, f.bundles().size() + " bundles ("
                    + f.ownedBundles().size() + " its own), " + f.configurations().size() + " configurations, from "
                    + f.origin()));
            known.put(f.id(), true);
        });
        for (Map.Entry<String, Path> a : available(repositories).entrySet()) {
            if (!known.containsKey(a.getKey())) {
                Path file = a.getValue();
                rows.add(new Entry(name(a.getKey()), version(a.getKey()), AVAILABLE,
                        file.startsWith(home) ? home.relativize(file).toString() : file.toString()));
                known.put(a.getKey(), true);
            }
        }
        return rows;
    }

    /** @return the feature files in the repositories by id {@code groupId:artifactId:version}; the first folder wins */
    static Map<String, Path> available(List<Path> repositories) {
        Map<String, Path> found = new TreeMap<>();
        for (Path root : repositories) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    String id = idOf(root, file);
                    if (id != null) {
                        found.putIfAbsent(id, file);
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // an unreadable folder offers nothing; the list shows what could be read
            }
        }
        return found;
    }

    /** @return the id of a feature file in Maven layout under root, or {@code null} when the file is not one */
    static String idOf(Path root, Path file) {
        Path rel = root.relativize(file);
        int n = rel.getNameCount();
        if (n < 4) {
            return null; // group (at least one folder), artifactId, version, file
        }
        String fileName = rel.getFileName().toString();
        String version = rel.getName(n - 2).toString();
        String artifact = rel.getName(n - 3).toString();
        String base = artifact + "-" + version;
        if (!fileName.equals(base + ".osgifeature") && !fileName.equals(base + ".json")) {
            return null;
        }
        List<String> group = new ArrayList<>();
        for (int i = 0; i < n - 3; i++) {
            group.add(rel.getName(i).toString());
        }
        return String.join(".", group) + ":" + artifact + ":" + version;
    }

    /** @return the list as a table */
    static String table(List<Entry> rows) {
        if (rows.isEmpty()) {
            return "no feature known: none built in, installed or in the repository"
                    + System.lineSeparator() + "0 built-in, 0 installed, 0 available";
        }
        int width = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        int vwidth = Math.max(7, rows.stream().mapToInt(r -> r.version().length()).max().orElse(7));
        String format = "%-" + width + "s  %-" + vwidth + "s  %-9s  %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "NAME", "VERSION", "STATE", "DETAILS"));
        for (Entry r : rows) {
            out.append(String.format(Locale.ROOT, format, r.name(), r.version(), r.state(), r.detail()));
        }
        out.append(String.format(Locale.ROOT, "%d built-in, %d installed, %d available", count(rows, BUILT_IN),
                count(rows, INSTALLED), count(rows, AVAILABLE)));
        return out.toString();
    }

    private static long count(List<Entry> rows, String state) {
        return rows.stream().filter(r -> r.state().equals(state)).count();
    }

    private static String name(String id) {
        int last = id.lastIndexOf(':');
        return last < 0 ? id : id.substring(0, last);
    }

    private static String version(String id) {
        int last = id.lastIndexOf(':');
        return last < 0 ? "" : id.substring(last + 1);
    }
}
