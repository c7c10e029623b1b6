package org.edgeha.management.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bundles installed by remote management, kept as {@code <bsn>.jar} in {@code data/management/bundles/} so that
 * they come back after a restart: the framework cache is rebuilt at every start, and a bundle that a fleet was told
 * to run must not vanish with a power cut. Files are written whole (temporary file, then an atomic move) and are
 * owner-only. Not thread-safe: used on the management worker thread only.
 */
final class RemoteBundleStore {

    /** Symbolic names that are safe as file names (no path separators, no leading dot). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

    private final Path dir;

    RemoteBundleStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Keeps (or replaces) a bundle's jar. */
    void save(String bsn, byte[] jar) throws IOException {
        Path target = file(bsn);
        createDir();
        Path tmp = dir.resolve("." + bsn + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, jar);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forgets a bundle; nothing happens if it was not kept. */
    void delete(String bsn) throws IOException {
        if (NAME.matcher(bsn).matches()) {
            Files.deleteIfExists(dir.resolve(bsn + ".jar"));
        }
    }

    /** @return the kept jars, by file name order */
    List<Path> kept() throws IOException {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            files.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }

    /**
     * Moves a kept jar that cannot be installed any more out of the way ({@code <name>.discarded}), so that the
     * gateway does not trip over it at every start and the operator can still look at it.
     *
     * @return where it went
     */
    Path discard(Path jar) throws IOException {
        Path aside = jar.resolveSibling(jar.getFileName() + ".discarded");
        Files.move(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    static String bsnOf(Path jar) {
        String name = jar.getFileName().toString();
        return name.substring(0, name.length() - ".jar".length());
    }

    private Path file(String bsn) {
        if (!NAME.matcher(bsn).matches()) {
            throw new IllegalArgumentException("cannot keep a bundle named " + bsn + " (letters, digits, . _ - only)");
        }
        return dir.resolve(bsn + ".jar");
    }

    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // fine
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }
}
