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

    /**
     * A thread that logs with its interrupt flag set (stop paths do) writes its line, and the file stays open for the
     * next ones: an interruptible channel closed the log file for the rest of the run ("ClosedByInterruptException").
     */
    @Test
    public void aLineFromAnInterruptedThreadIsWrittenAndTheFileStaysOpen() throws Exception {
        Path folder = OwnerOnly.directories(tmp.getRoot().toPath().resolve("data/log"));
        try (RotatingLog log = new RotatingLog(folder, 1 << 20, 3)) {
            Thread writer = new Thread(() -> {
                Thread.currentThread().interrupt();
                log.write("interrupted line\n");
            });
            writer.start();
            writer.join();
            log.write("next line\n");
        }
        assertEquals("interrupted line\nnext line\n", Files.readString(folder.resolve("edgeha0.log")));
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

    /**
     * On a real full disk (a 64 KiB tmpfs; skipped where it cannot be mounted): lines that cannot be written are
     * counted, no torn line is left, and the first line written once there is room says how many were lost.
     */
    @Test
    public void aFullDiskLeavesNoTornLineAndTheNextLineWrittenCountsTheLostOnes() throws Exception {
        Path mount = tmp.newFolder("small").toPath();
        String failure = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString());
        assumeTrue("cannot mount a tmpfs (needs root and mount(8)): " + failure, failure == null);
        try {
            Path folder = OwnerOnly.directories(mount.resolve("log"));
            RotatingLog log = new RotatingLog(folder, 1 << 20, 2);
            log.write("before\n");
            Path filler = mount.resolve("filler");
            try (var out = Files.newOutputStream(filler)) {
                byte[] block = new byte[512];
                while (true) {
                    out.write(block);
                }
            } catch (java.io.IOException full) {
                // as intended
            }
            String line = "x".repeat(3000) + "\n"; // more than what may be left in the file's last page
            for (int i = 0; i < 5; i++) {
                log.write(line);
            }
            String during = Files.readString(folder.resolve("edgeha0.log"));
            assertTrue("only whole lines: " + during.length() + " chars", during.equals("before\n")
                    || during.startsWith("before\n" + line));
            int written = during.equals("before\n") ? 0 : (during.length() - 7) / line.length();
            assertEquals("no torn line", 7 + written * line.length(), during.length());
            assertTrue("the disk was full for the log: " + written + " of 5 lines written", written < 5);

            Files.delete(filler);
            log.write("after\n");
            log.close();
            String[] lines = Files.readString(folder.resolve("edgeha0.log")).split("\n");
            assertEquals(written + 3, lines.length);
            assertTrue(lines[written + 1], lines[written + 1].contains("WARN  [org.edgeha.gateway] " + (5 - written)
                    + " log line(s) from ") && lines[written + 1].contains("No space left on device"));
            assertEquals("after", lines[written + 2]);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    /** Runs a command; @return null when it succeeded, else what it printed */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? null : out.strip() + " (exit " + p.exitValue() + ")";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
