package org.edgeha.features.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** @return the place the id's artifact is expected, for messages */
    String describe(ID id) {
        return roots.isEmpty() ? "(no repository folder configured)"
                : path(roots.get(0), id, id.getType().orElse("jar")).toString()
                        + (roots.size() > 1 ? " (or the same path under " + roots.subList(1, roots.size()) + ")" : "");
    }
}
