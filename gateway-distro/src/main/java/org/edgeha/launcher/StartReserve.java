package org.edgeha.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Space in {@code data/} kept for the gateway's own start. Every start rebuilds the framework cache
 * ({@code -runkeep: false}: about 4 MiB deleted and written again), and Felix rewrites each bundle's
 * {@code bundle.info} in place (truncated, then written). On a full {@code data/} the gateway's own writers, the log
 * above all, take the pages freed meanwhile, so a few starts later a bundle can no longer be cached and the gateway
 * does not start at all (found by {@code DataDiskFullIT}: the third start on a full disk failed).
 *
 * <p>The reserve is a file of {@value #BYTES} bytes of real blocks (written, not sparse). Before the framework starts,
 * when less than that is free, it is deleted, and the start has that much room. Once the gateway is ready, a daemon
 * thread makes it again as soon as twice its size is free, so making it never fills the disk itself.
 *
 * <p>Thread-safety: {@link #releaseIfLow} runs on the launcher's thread before the framework exists;
 * {@link #keepUp} only on the daemon thread {@link #startKeeping} starts.
 */
final class StartReserve {

    static final long BYTES = 1 << 20;
    static final String FILE = "start-reserve";
    private static final long CHECK_SECONDS = 5;
    /** Set by the gateway bundle (GatewayRuntime) once the gateway is ready. */
    static final String READY = "edgeha.ready";

    private final Path file;

    StartReserve(Path data) {
        this.file = data.resolve(FILE);
    }

    /** @return the bytes free for the gateway under {@code data/} (the reserve not counted) */
    long free() throws IOException {
        return Files.getFileStore(file.getParent()).getUsableSpace();
    }

    boolean exists() {
        return Files.exists(file);
    }

    /**
     * Before the framework starts: deletes the reserve when less than its size is free.
     *
     * @return what to tell the operator, or null when there is nothing to say
     */
    String releaseIfLow() {
        try {
            long free = free();
            if (free >= BYTES) {
                return null;
            }
            if (!Files.deleteIfExists(file)) {
                return "data/ has only " + free + " bytes free and no start reserve left: the framework cache may not"
                        + " be rebuilt (it needs about 4 MiB, which it frees first). Free space under " + file.getParent();
            }
            return "data/ has only " + free + " bytes free: released the " + BYTES + "-byte start reserve (" + file
                    + ") for this start; it is made again once " + 2 * BYTES + " bytes are free. Free space under "
                    + file.getParent();
        } catch (IOException e) {
            return "cannot check the free space of data/ for the start reserve: " + e;
        }
    }

    /**
     * Makes the reserve when it is missing and twice its size is free. A reserve that cannot be written whole is
     * not left behind.
     *
     * @return whether the reserve exists afterwards
     */
    boolean keepUp() {
        if (exists()) {
            return true;
        }
        Path partial = file.resolveSibling(FILE + ".part");
        try {
            if (free() < 2 * BYTES) {
                return false;
            }
            Files.deleteIfExists(partial);
            try (OutputStream out = Files.newOutputStream(Files.createFile(partial, ownerOnly(partial)),
                    StandardOpenOption.WRITE)) {
                byte[] block = new byte[64 * 1024];
                for (long written = 0; written < BYTES; written += block.length) {
                    out.write(block);
                }
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException again) {
                // it goes with the next attempt
            }
            return false;
        }
    }

    /**
     * Starts the daemon thread that keeps the reserve up every few seconds, from the moment the gateway bundle says
     * it is ready (system property {@value #READY}): before, the space freed by the cache being rebuilt would look
     * free, and making the reserve then would take the start's room.
     */
    void startKeeping() {
        Thread keeper = new Thread(() -> {
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(Boolean.getBoolean(READY) ? CHECK_SECONDS : 1);
                    if (Boolean.getBoolean(READY)) {
                        keepUp();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "edgeha-start-reserve");
        keeper.setDaemon(true);
        keeper.setPriority(Thread.MIN_PRIORITY);
        keeper.start();
    }

    private static FileAttribute<?>[] ownerOnly(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
