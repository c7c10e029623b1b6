package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The installed features on disk, under {@code ${edgeha.home}/data/features/}: for each, {@code KEY.json} (the
 * feature as installed) and {@code KEY.origin} (install sequence number, then where it came from), where KEY is
 * {@code groupId~artifactId}. The framework cache is rebuilt at every start, so these records are how installed
 * features come back. Writes go through a temporary file and an atomic move. Not thread-safe.
 */
final class FeatureRecords {

    /**
     * One recorded feature.
     *
     * @param file the records' file name without extension, for {@link #deleteFile}
     */
    record Record(String file, long sequence, String text, String origin) {
    }

    private final Path folder;
    private long sequence;

    FeatureRecords(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    /**
     * Reads every record. A damaged one (unreadable, not UTF-8, its {@code .origin} missing) is told to
     * {@code problem} with its file name, moved aside ({@code .damaged}) and left out; it does not keep the others
     * from coming back.
     *
     * @return the recorded features, in the order they were installed
     * @throws IOException when the folder itself cannot be listed
     */
    List<Record> load(Consumer<String> problem) throws IOException {
        List<Record> records = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return records;
        }
        List<Path> jsons;
        try (Stream<Path> files = Files.list(folder)) {
            jsons = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path json : jsons) {
            String name = json.getFileName().toString();
            Path originFile = sibling(json, ".origin");
            if (!Files.exists(originFile)) {
                problem.accept(json + " has no " + originFile.getFileName() + " (a record cut short); "
                        + moveAside(json, originFile));
                continue;
            }
            try {
                String[] origin = Files.readString(originFile, StandardCharsets.UTF_8).split("\n", 2);
                long seq;
                try {
                    seq = Long.parseLong(origin[0].trim());
                } catch (NumberFormatException e) {
                    problem.accept(originFile + " holds no install sequence number; its feature is installed last");
                    seq = Long.MAX_VALUE;
                }
                sequence = Math.max(sequence, seq == Long.MAX_VALUE ? 0 : seq);
                records.add(new Record(name.substring(0, name.length() - ".json".length()), seq,
                        Files.readString(json, StandardCharsets.UTF_8), origin.length > 1 ? origin[1].trim() : ""));
            } catch (IOException e) { // also MalformedInputException: bytes that are not UTF-8
                problem.accept(json + " cannot be read (" + e + "); its feature does not come back; "
                        + moveAside(json, originFile));
            }
        }
        records.sort(Comparator.comparingLong(Record::sequence));
        return records;
    }

    /** Renames a damaged record's files to {@code NAME.damaged}, kept for the operator, never read again. */
    private static String moveAside(Path json, Path origin) {
        try {
            for (Path file : List.of(json, origin)) {
                if (Files.exists(file)) {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return "moved aside to " + json.getFileName() + ".damaged";
        } catch (IOException e) {
            return "could not be moved aside (" + e + ")";
        }
    }

    void save(String key, String text, String origin) throws IOException {
        Files.createDirectories(folder, ownerOnly(folder, true));
        write(file(key, ".json"), text);
        write(file(key, ".origin"), (++sequence) + "\n" + origin + "\n");
    }

    void delete(String key) throws IOException {
        Files.deleteIfExists(file(key, ".origin"));
        Files.deleteIfExists(file(key, ".json"));
    }

    /** Deletes a record by its file name (for a record that cannot be read any more). */
    void deleteFile(String file) throws IOException {
        Files.deleteIfExists(folder.resolve(file + ".origin"));
        Files.deleteIfExists(folder.resolve(file + ".json"));
    }

    private Path file(String key, String suffix) {
        return folder.resolve(key.replace(':', '~').replaceAll("[^A-Za-z0-9._~-]", "_") + suffix);
    }

    private static Path sibling(Path json, String suffix) {
        String name = json.getFileName().toString();
        return json.resolveSibling(name.substring(0, name.length() - ".json".length()) + suffix);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.write(Files.createFile(tmp, ownerOnly(tmp, false)), text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Records live under data/, which is owner-only: folder rwx------, files rw------- (where POSIX permissions exist). */
    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(Path path, boolean directory) {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
    }
}
