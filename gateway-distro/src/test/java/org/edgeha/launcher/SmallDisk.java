package org.edgeha.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Assume;

/**
 * A small tmpfs mounted on a folder, for the full-disk tests: a real file system that really fills up. Mounting
 * needs root and mount(8); where it cannot, the calling test is skipped, saying why. Unmounted on {@link #close}
 * (lazily when still busy) or, if the test JVM is stopped first, at its exit.
 */
final class SmallDisk implements AutoCloseable {

    private final Path dir;
    private final Thread unmountAtExit;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.unmountAtExit = new Thread(() -> unmount(true), "umount-" + dir.getFileName());
        Runtime.getRuntime().addShutdownHook(unmountAtExit);
    }

    /** Mounts a tmpfs of {@code size} (mount(8) syntax: {@code 1m}) on {@code dir}, creating it; else skips the test. */
    static SmallDisk mountOrSkip(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assume.assumeTrue("cannot mount a " + size + " tmpfs on " + dir + " (needs root and mount(8)): " + failure,
                failure == null);
        return new SmallDisk(dir);
    }

    /** Writes {@code file} on this disk until it is full, to the last byte; @return the bytes written */
    long fill(Path file) {
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int chunk : new int[] {65_536, 4_096, 512, 1}) {
                byte[] bytes = new byte[chunk];
                try {
                    while (written < (256L << 20)) {
                        out.write(bytes);
                        out.flush();
                        written += chunk;
                    }
                } catch (IOException full) {
                    // next, smaller chunk
                }
            }
        } catch (IOException closing) {
            // the last flush on close may fail too: the disk is full, which is the point
        }
        return written;
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(unmountAtExit);
        unmount(false);
    }

    private void unmount(boolean atExit) {
        String failed = run("umount", dir.toString());
        if (failed != null) {
            if (!atExit) {
                System.err.println("SmallDisk: umount " + dir + ": " + failed + "; lazily then");
            }
            run("umount", "-l", dir.toString());
        }
    }

    /** Runs a command; @return null when it succeeded, else what it printed */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? null : out.strip() + " (exit " + p.exitValue() + ")";
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
