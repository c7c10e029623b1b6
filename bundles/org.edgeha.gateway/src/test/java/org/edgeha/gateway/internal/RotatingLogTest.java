package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The gateway's log file: rotated by size into the names JUL used, every folder and file owner-only. */
public class RotatingLogTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    public void rotatesBySizeKeepsCountFilesAndEveryFileIsOwnerOnly() throws Exception {
        assumeTrue(tmp.getRoot().toPath().getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path folder = OwnerOnly.directories(tmp.getRoot().toPath().resolve("data/log"));
        assertEquals("rwx------", permissions(folder));
        assertEquals("rwx------", permissions(folder.getParent()));
        RotatingLog log = new RotatingLog(folder, 100, 3);
        for (int i = 0; i < 10; i++) {
            log.write(String.format("line %02d %s%n", i, "x".repeat(30))); // 40 bytes: two lines per file
        }
        log.close();
        assertTrue(Files.readString(folder.resolve("edgeha0.log")).startsWith("line 08"));
        assertTrue(Files.readString(folder.resolve("edgeha1.log")).startsWith("line 06"));
        assertTrue(Files.readString(folder.resolve("edgeha2.log")).startsWith("line 04"));
        assertFalse("only three files are kept", Files.exists(folder.resolve("edgeha3.log")));
        for (int g = 0; g < 3; g++) {
            assertEquals("edgeha" + g + ".log", "rw-------", permissions(folder.resolve("edgeha" + g + ".log")));
        }
    }

    @Test
    public void anExistingLooseFileIsAppendedToAndMadeOwnerOnly() throws Exception {
        assumeTrue(tmp.getRoot().toPath().getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path folder = tmp.newFolder("log").toPath();
        Path old = folder.resolve("edgeha0.log");
        Files.writeString(old, "from before\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        RotatingLog log = new RotatingLog(folder, 1024, 2);
        log.write("and now\n");
        log.close();
        assertEquals("from before\nand now\n", Files.readString(old));
        assertEquals("rw-------", permissions(old));
    }
}
