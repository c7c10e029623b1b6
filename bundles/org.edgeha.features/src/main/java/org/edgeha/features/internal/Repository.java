package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Version;
import org.osgi.service.feature.ID;

/**
 * The gateway's local artifact repositories: folders in Maven layout
 * ({@code org/edgeha/org.edgeha.recovery/0.1.0-SNAPSHOT/org.edgeha.recovery-0.1.0-SNAPSHOT.jar}), searched in
 * order. Immutable and thread-safe.
 */
final class Repository {

    /** Feature artifacts: the Feature specification's type, then plain JSON. */
    static final List<String> FEATURE_TYPES = List.of("osgifeature", "json");

    private final List<Path> roots;

    Repository(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    List<Path> roots() {
        return roots;
    }

    /** @return the first existing file for the id (type {@code jar} unless the id says otherwise) */
    Optional<Path> find(ID id) {
        return find(id, id.getType().orElse("jar"));
    }

    Optional<Path> findFeature(ID id) {
        if (id.getType().isPresent()) {
            return find(id, id.getType().get());
        }
        for (String type : FEATURE_TYPES) {
            Optional<Path> file = find(id, type);
            if (file.isPresent()) {
                return file;
            }
        }
        return Optional.empty();
    }

    private Optional<Path> find(ID id, String type) {
        for (Path root : roots) {
            Path file = path(root, id, type);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** @return where the id's artifact of the given type lies under {@code root} */
    static Path path(Path root, ID id, String type) {
        Path folder = root;
        for (String part : id.getGroupId().split("\\.")) {
            folder = folder.resolve(part);
        }
        String file = id.getArtifactId() + "-" + id.getVersion()
                + id.getClassifier().map(c -> "-" + c).orElse("") + "." + type;
        return folder.resolve(id.getArtifactId()).resolve(id.getVersion()).resolve(file);
    }

    /**
     * @return the coordinates {@code groupId:artifactId:version} of the feature of that group and artifact in the
     *     first folder holding one (of several versions there, the highest), for {@code feature:install logging}
     */
    Optional<String> latestFeature(String groupId, String artifactId) {
        for (Path root : roots) {
            Path folder = root;
            for (String part : groupId.split("\\.")) {
                folder = folder.resolve(part);
            }
            folder = folder.resolve(artifactId);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (var versions = Files.list(folder)) {
                Optional<String> latest = versions.filter(v -> FEATURE_TYPES.stream().anyMatch(type -> Files.isRegularFile(
                        v.resolve(artifactId + "-" + v.getFileName() + "." + type))))
                        .map(v -> v.getFileName().toString())
                        .max(Comparator.comparing(Repository::versionOf).thenComparing(Comparator.naturalOrder()));
                if (latest.isPresent()) {
                    return Optional.of(groupId + ":" + artifactId + ":" + latest.get());
                }
            } catch (IOException e) {
                // unreadable: the next folder
            }
        }
        return Optional.empty();
    }

    /** A Maven version compared as an OSGi one ({@code 1.2.0-SNAPSHOT} as 1.2.0); 0.0.0 when it is not like one. */
    private static Version versionOf(String maven) {
        try {
            return Version.parseVersion(maven.replaceFirst("-.*$", ""));
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }

    /** @return the place the id's artifact is expected, for messages */
    String describe(ID id) {
        return roots.isEmpty() ? "(no repository folder configured)"
                : path(roots.get(0), id, id.getType().orElse("jar")).toString()
                        + (roots.size() > 1 ? " (or the same path under " + roots.subList(1, roots.size()) + ")" : "");
    }
}
