package org.edgeha.gateway.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code edgeha0.log} in a folder, rotated by size to {@code edgeha1.log} ... {@code edgeha<count-1>.log} (the names
 * JUL's FileHandler used), every file owner-only: a log may say more about the plant than its owner wants others
 * to read. Not thread-safe: {@link LogFile} calls it under its monitor.
 */
final class RotatingLog implements AutoCloseable {

    private final Path folder;
    private final long limit;
    private final int count;
    private OutputStream out;
    private long size;
    private boolean failed;

    RotatingLog(Path folder, long limitBytes, int count) throws IOException {
        this.folder = folder;
        this.limit = Math.max(1, limitBytes);
        this.count = Math.max(1, count);
        open();
    }

    Path file(int generation) {
        return folder.resolve("edgeha" + generation + ".log");
    }

    /** Appends a finished line; rotates first when it would take the file beyond the limit. */
    void write(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + bytes.length > limit) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
            failed = false;
        } catch (IOException e) {
            if (!failed) { // once per failure, not once per line
                System.err.println("EdgeHA log: cannot write " + file(0) + ": " + e);
            }
            failed = true;
        }
    }

    private void rotate() throws IOException {
        out.close();
        for (int generation = count - 1; generation > 0; generation--) {
            Path older = file(generation - 1);
            if (Files.exists(older)) {
                Files.move(older, file(generation), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (count == 1) {
            Files.deleteIfExists(file(0));
        }
        open();
    }

    private void open() throws IOException {
        Path current = file(0);
        out = OwnerOnly.append(current);
        size = Files.size(current);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to tell
        }
    }
}
