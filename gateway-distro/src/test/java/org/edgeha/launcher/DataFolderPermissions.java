package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check that a gateway's {@code data/} is owner-only: every folder {@code rwx------}, every file
 * {@code rw-------}. The exceptions are the contents of {@code data/felix-cache} (the OSGi framework's cache) and
 * {@code data/tmp} ({@code java.io.tmpdir}: FileInstall and the framework put temporary copies there with
 * {@code File.createTempFile}), both written by third-party code with the process's umask (Java cannot set a umask);
 * the two folders themselves and {@code data/} are owner-only, so no other user can reach what is in them
 * (docs/RELIABILITY.md, Security).
 */
final class DataFolderPermissions {

    static final String DIR = "rwx------";
    static final String FILE = "rw-------";

    private DataFolderPermissions() {
    }

    /** Fails naming every path under {@code data} (and {@code data} itself) that others can read, write or enter. */
    static void assertOwnerOnly(Path data) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        assertTrue(data + " missing", Files.isDirectory(data));
        List<Path> thirdParty = List.of(data.resolve("felix-cache"), data.resolve("tmp"));
        List<String> loose = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> tree = Files.walk(data)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                if (thirdParty.stream().anyMatch(folder -> path.startsWith(folder) && !path.equals(folder))) {
                    continue;
                }
                checked++;
                String wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE;
                String actual = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                if (!actual.equals(wanted)) {
                    loose.add(actual + " " + data.relativize(path));
                }
            }
        }
        assertEquals("not owner-only under " + data + " (" + checked + " paths checked)", List.of(), loose);
    }
}
