package org.edgeha.mqtt.internal;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** The file-level helpers of {@link MessageStore}: names, checksums, permissions, whole reads and writes. */
final class StoreFiles {

    /**
     * The largest number a file name, and so a sequence, may carry. Sequences start at 1 and grow by one per message,
     * so no store reaches it on its own; a larger name (up to 20 digits beyond the long range) is damage from outside
     * and left alone, rather than overflowing the next sequence number. The store never hands out a larger sequence
     * (its next segment would be named among the files it leaves alone).
     */
    static final long MAX_NUMBER = Long.MAX_VALUE / 2;
    private static final String MAX_DIGITS = String.format("%020d", MAX_NUMBER);

    private StoreFiles() {
    }

    /** Owner-only permissions where the file system has POSIX ones (messages may be sensitive); else none. */
    static FileAttribute<?>[] ownerOnly(Path dir, boolean directory) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        String permissions = directory ? "rwx------" : "rw-------";
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    /** @return a file name: prefix, the number in 20 digits (so names sort by number), suffix */
    static String name(String prefix, long number, String suffix) {
        return prefix + String.format("%020d", number) + suffix;
    }

    /** @return the numbers of the files in dir named by {@link #name} with this prefix and suffix, ascending */
    static List<Long> numbered(Path dir, String prefix, String suffix) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(prefix.length(), name.length() - suffix.length());
                if (digits.length() == 20 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                        && digits.compareTo(MAX_DIGITS) <= 0) {
                    numbers.add(Long.parseLong(digits));
                }
            }
        }
        numbers.sort(null);
        return numbers;
    }

    /** @return the CRC32 of a frame: the sequence (so a frame copied elsewhere does not verify) and the bytes */
    static int crc(long sequence, ByteBuffer bytes) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(sequence).flip());
        crc.update(bytes);
        return (int) crc.getValue();
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("segment ends before byte " + (at + buffer.remaining()));
            }
            at += n;
        }
    }

    /** Cuts a file to size (forced to the device with force), e.g. a segment after its last valid frame. */
    static void truncate(Path file, long size, boolean force) throws IOException {
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            channel.truncate(size);
            if (force) {
                channel.force(true);
            }
        }
    }

    /** Makes created, renamed and deleted entries of dir durable, where the platform can (not on Windows). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        } catch (IOException e) {
            // unsupported here: file contents are still forced; the entries' durability is up to the OS
        }
    }
}
