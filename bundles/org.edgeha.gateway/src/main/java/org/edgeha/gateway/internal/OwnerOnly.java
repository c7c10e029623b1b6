package org.edgeha.gateway.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.OutputStream;
import java.util.Set;

/**
 * Files and folders of {@code data/} that only the gateway's own user may read: folders {@code rwx------}, files
 * {@code rw-------}, whatever the process's umask (Java cannot set one). Where the file system has no POSIX
 * permissions (Windows) these are plain creates.
 */
final class OwnerOnly {

    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} (and missing parents) owner-only; an existing {@code dir} is made owner-only. */
    static Path directories(Path dir) throws IOException {
        if (!posix(dir)) {
            return Files.createDirectories(dir);
        }
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                directories(parent);
            }
            try {
                Files.createDirectory(dir, attribute(DIR));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile (or a file of that name: the chmod below then fails with the reason)
            }
        }
        Files.setPosixFilePermissions(dir, DIR);
        return dir;
    }

    /** Opens {@code file} for appending, created owner-only; an existing file is made owner-only. */
    static OutputStream append(Path file) throws IOException {
        if (posix(file)) {
            // Created owner-only here; written below through a FileOutputStream, whose writes, unlike a channel's, are
            // not interruptible: a thread that logs with its interrupt flag set (common on stop paths) would otherwise
            // close the log file for every later line
            Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attribute(FILE)).close();
            try {
                Files.setPosixFilePermissions(file, FILE);
            } catch (IOException notOurs) {
                // a file of another user that we may write: keep writing; data/ itself is owner-only
            }
        }
        return new FileOutputStream(file.toFile(), true);
    }

    /**
     * Replaces {@code file} with {@code text} in one step: written to an owner-only temporary file beside it, then moved
     * over it, so that a reader (FileInstall polling {@code etc/}) never sees half a file.
     */
    static void replace(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = posix(dir) ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attribute(FILE))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            restrict(file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes an existing file or folder owner-only (no-op where there are no POSIX permissions or no such path). */
    static void restrict(Path path) throws IOException {
        if (posix(path) && Files.exists(path)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIR : FILE);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
