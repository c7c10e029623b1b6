package org.edgeha.sparkplug.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Sparkplug birth/death sequence number (bdSeq, 0 to 255) of the next MQTT session, kept in
 * {@code data/sparkplug/bdSeq} so that a restarted gateway does not repeat the bdSeq its previous NDEATH carried.
 * Called on the node's own thread only.
 */
final class BdSeqStore {

    private final Path file;
    private long memory;

    BdSeqStore(Path file) {
        this.file = file;
    }

    /** The bdSeq for a new session; the next one (plus 1, modulo 256) is written back. Never throws. */
    long next() {
        long current = memory;
        try {
            if (Files.isRegularFile(file)) {
                current = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) & 0xFF;
            }
        } catch (IOException | NumberFormatException e) {
            current = memory; // unreadable: the in-memory counter (logged by the caller's status, not fatal)
        }
        memory = (current + 1) % 256;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(memory), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the in-memory counter still increments for this run
        }
        return current;
    }
}
