package org.edgeha.gateway.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

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
    private long size; // bytes of whole lines in the current file
    private long unwritten; // lines lost since the last successful write (a full disk, say)
    private Instant firstUnwritten;
    private IOException failure;

    RotatingLog(Path folder, long limitBytes, int count) throws IOException {
        this.folder = folder;
        this.limit = Math.max(1, limitBytes);
        this.count = Math.max(1, count);
        open();
    }

    Path file(int generation) {
        return folder.resolve("edgeha" + generation + ".log");
    }

    /**
     * Appends a finished line; rotates first when it would take the file beyond the limit. A line that cannot be
     * written (a full disk) is counted, its torn part cut off again, and the first line written after it says how
     * many were lost, when and why: the log never hides a gap.
     */
    void write(String line) {
        try {
            // One append for the notice and the line: a notice written without the line would end the count early.
            append(unwritten == 0 ? line : Instant.now() + " WARN  [org.edgeha.gateway] " + unwritten + " log line(s)"
                    + " from " + firstUnwritten + " on could not be written to " + file(0).getFileName() + ": " + failure
                    + System.lineSeparator() + line);
            unwritten = 0;
            failure = null;
        } catch (IOException e) {
            if (failure == null) { // once per failure, not once per line
                System.err.println("EdgeHA log: cannot write " + file(0) + ": " + e + " (lines are counted until it can)");
                failure = e;
                firstUnwritten = Instant.now();
            }
            unwritten++;
            cutTornLine();
        }
    }

    private void append(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            open(); // a rotation failed half-way: the older files have moved already
        }
        if (size > 0 && size + bytes.length > limit) {
            rotate();
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    /** After a failed append: cuts what part of the line reached the file, so the next line starts a line. */
    private void cutTornLine() {
        try (FileChannel channel = FileChannel.open(file(0), StandardOpenOption.WRITE)) {
            if (channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            // the file is gone or unwritable: the next append says so
        }
    }

    private void rotate() throws IOException {
        OutputStream current = out;
        out = null;
        current.close();
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
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // nothing left to tell
        }
    }
}
