package org.edgeha.mqtt.internal;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeha.mqtt.api.OverflowPolicy;

/**
 * The bounded, crash-safe on-disk FIFO behind store-and-forward: opaque records numbered with sequences that are
 * strictly increasing and never reused, also across restarts.
 *
 * <p><b>On disk</b>, in a directory of its own: segments {@code NNNNNNNNNNNNNNNNNNNN.seg} (20 digits: the first
 * sequence they may hold), appended to until they pass {@value #SEGMENT_BYTES} bytes, each a run of frames
 * {@code [int length][int CRC32 of sequence and bytes][long sequence][bytes]} (big-endian); one empty file
 * {@code acked.NNNNNNNNNNNNNNNNNNNN}: every sequence up to that number is consumed (acknowledged or dropped), advanced
 * by an atomic rename, so a crash leaves the old or the new position and an acknowledgement writes no data; and
 * {@code lock}, locked while open. Segments holding only consumed records are deleted whole: nothing is rewritten.
 * At {@link #open}, a torn or corrupt frame (kill -9 or power loss mid-append, bit rot) and the rest of its segment are
 * cut off, counted in {@link #discardedOnOpen()} and described in {@link #openProblems()}; the open still succeeds.
 *
 * <p><b>Durability.</b> With {@code syncEachAppend} each append and acknowledgement is forced to the device before it
 * returns: nothing returned is lost to a power cut. Without, the OS page cache holds it: safe against a process crash
 * (kill -9), not a power cut. DROP_OLDEST drops are persisted with the next acknowledgement (no cost per append); after
 * a crash before that, {@link #open} applies the limits again and drops (and counts) the same oldest records. A store
 * found above its limits (they were lowered) keeps everything under REJECT_NEW and refuses appends until it drains.
 *
 * <p><b>Threads.</b> Every method may be called from any thread: one monitor guards all state and disk I/O, so many
 * publishers may {@link #append} while one forwarder {@link #peek}s and {@link #acknowledge}s. Heap: an index entry of
 * about 50 bytes per stored record, never the record itself.
 */
final class MessageStore implements AutoCloseable {

    /** Segments roll past this size: small enough that deleting consumed ones reclaims space promptly. */
    static final long SEGMENT_BYTES = 1 << 20;
    /** Frame header: length, CRC32, sequence. */
    static final int HEADER = 16;
    private static final String SEGMENT = ".seg";
    private static final String ACKED = "acked.";
    /** The limit of the last segment's sequences: beyond the largest any file name, and so the store, may carry. */
    private static final long BEYOND_LAST = StoreFiles.MAX_NUMBER + 1;
    /** The directories of the stores open in this JVM: a second channel on the lock file would drop the lock. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    /** A stored record. The array is the caller's. */
    record Entry(long sequence, byte[] record) {
    }

    /** Index entry of an unconsumed record. */
    private record Slot(long sequence, Segment segment, long offset, int frame) {
    }

    private static final class Segment {
        final long first;
        final Path path;
        long size;

        Segment(long first, Path path) {
            this.first = first;
            this.path = path;
        }
    }

    private final Path dir;
    private long maxMessages; // these four: changed in place by limits(), under this
    private long maxBytes;
    private OverflowPolicy policy;
    private boolean sync;
    private final FileAttribute<?>[] fileAttributes;
    private final List<Segment> segments = new ArrayList<>(); // by first sequence; the last one is appended to
    private final ArrayDeque<Slot> slots = new ArrayDeque<>(); // unconsumed records, oldest first
    private final List<String> openProblems = new ArrayList<>();
    private Path openKey;
    private FileChannel lockChannel;
    private FileChannel tail; // the last segment, read-write
    private FileChannel reader; // one older segment: the forwarder reads the oldest sequentially
    private Segment readerSegment;
    private long position; // every sequence <= position is consumed
    private long persistedPosition;
    private long nextSequence;
    private long bytes;
    private long droppedOldest;
    private long discardedOnOpen;
    private long rejected;
    private boolean closed;

    private MessageStore(Path dir, long maxMessages, long maxBytes, OverflowPolicy policy, boolean sync) {
        this.dir = dir;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sync = sync;
        this.fileAttributes = StoreFiles.ownerOnly(dir, false);
    }

    /** Opens (creating) the store in dir; scans it; a truncated/corrupt tail or segment is cut off and counted. */
    static MessageStore open(Path dir, long maxMessages, long maxBytes, OverflowPolicy policy, boolean syncEachAppend)
            throws IOException {
        if (maxMessages < 1 || maxBytes <= HEADER) {
            throw new IllegalArgumentException("limits too small: " + maxMessages + " messages, " + maxBytes
                    + " bytes");
        }
        MessageStore store = new MessageStore(dir, maxMessages, maxBytes, policy, syncEachAppend);
        try {
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void recover() throws IOException {
        Files.createDirectories(dir, StoreFiles.ownerOnly(dir, true));
        Path real = dir.toRealPath();
        if (!OPEN.add(real)) {
            throw new IOException("message store " + dir + " is already open");
        }
        openKey = real;
        lockChannel = FileChannel.open(dir.resolve("lock"), Set.of(CREATE, WRITE), fileAttributes);
        if (lockChannel.tryLock() == null) { // two writers would interleave frames and fight over the position
            throw new IOException("message store " + dir + " is in use by another process");
        }
        List<Long> firsts = StoreFiles.numbered(dir, "", SEGMENT);
        position = persistedPosition = readPosition(!firsts.isEmpty());
        long last = 0; // the highest valid sequence found, consumed or not
        for (int i = 0; i < firsts.size(); i++) {
            Segment segment = new Segment(firsts.get(i), dir.resolve(StoreFiles.name("", firsts.get(i), SEGMENT)));
            last = scan(segment, i + 1 < firsts.size() ? firsts.get(i + 1) : BEYOND_LAST, last);
        }
        // An empty last segment still names the next sequence: its number may have been handed out before a cut.
        nextSequence = Math.max(Math.max(position, last), firsts.isEmpty() ? 0 : firsts.get(firsts.size() - 1) - 1) + 1;
        if (nextSequence > StoreFiles.MAX_NUMBER) {
            restartNumbering();
        }
        if (segments.isEmpty()) {
            roll();
        } else {
            tail = FileChannel.open(segments.get(segments.size() - 1).path, READ, WRITE);
        }
        if (policy == OverflowPolicy.REJECT_NEW && (slots.size() > maxMessages || bytes > maxBytes)) {
            openProblems.add("holds " + slots.size() + " messages of " + bytes + " bytes, above its limits; new"
                    + " messages are refused until it drains");
        } else if (dropWhileOver()) {
            writePosition(position); // now, so that the next open does not drop and count them again
        }
        reclaim();
    }

    /**
     * Sequences used up (only a position or frame put there from outside gets near {@link StoreFiles#MAX_NUMBER}):
     * the next segment's name would fall among the names open leaves alone. With nothing unconsumed the numbering
     * starts again at 1, here at open where no delivery is in flight to acknowledge an old number. Else the records
     * stay deliverable, appends are refused (see {@link #append}) and the next open after they drained starts again.
     */
    private void restartNumbering() throws IOException {
        if (!slots.isEmpty()) {
            openProblems.add("sequence numbers used up (next would be " + nextSequence + "); new messages are"
                    + " refused until the " + slots.size() + " stored one(s) are delivered and the store is opened"
                    + " again");
            return;
        }
        openProblems.add("sequence numbers used up (acknowledged position " + position + "), nothing unacknowledged;"
                + " numbering starts again at 1");
        for (Segment segment : segments) {
            Files.delete(segment.path); // only consumed records
        }
        segments.clear();
        if (persistedPosition != 0) {
            writePosition(0);
        }
        position = 0;
        nextSequence = 1;
    }

    private long readPosition(boolean segmentsExist) throws IOException {
        List<Long> acked = StoreFiles.numbered(dir, ACKED, "");
        if (acked.isEmpty()) {
            if (segmentsExist) {
                openProblems.add("acknowledged position missing; every stored message will be delivered again");
            }
            Files.createFile(dir.resolve(StoreFiles.name(ACKED, 0, "")), fileAttributes);
            return 0;
        }
        if (acked.size() > 1) { // renames never leave two: damage from outside. The lowest loses nothing.
            openProblems.add("several acknowledged positions " + acked + "; keeping the lowest");
            for (long extra : acked.subList(1, acked.size())) {
                Files.delete(dir.resolve(StoreFiles.name(ACKED, extra, "")));
            }
        }
        return acked.get(0);
    }

    /** Indexes a segment's valid frames and cuts it at the first bad one. @return the last valid sequence */
    private long scan(Segment segment, long limit, long last) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segment.path)); // about 1 MiB: simplest checked in memory
        String problem = null;
        while (data.hasRemaining() && problem == null) {
            int offset = data.position();
            int length = data.remaining() < HEADER ? -1 : data.getInt();
            int crc = length < 0 ? 0 : data.getInt();
            long sequence = length < 0 ? 0 : data.getLong();
            if (length < 0 || length > data.remaining()) {
                problem = "torn frame";
            } else if (crc != StoreFiles.crc(sequence, data.slice(data.position(), length))) {
                problem = "checksum mismatch";
            } else if (sequence < segment.first || sequence >= limit || sequence <= last) {
                problem = "sequence " + sequence + " out of order";
            }
            if (problem != null) {
                data.position(offset);
            } else {
                data.position(data.position() + length);
                last = sequence;
                if (sequence > position) {
                    slots.add(new Slot(sequence, segment, offset, HEADER + length));
                    bytes += HEADER + length;
                }
            }
        }
        segment.size = data.position();
        if (problem != null) {
            // Below the next segment the sequences tell what was lost; in the last one the frames after the cut do.
            long lost = limit == BEYOND_LAST ? countCut(data, last)
                    : Math.max(0, limit - 1 - Math.max(last, position));
            StoreFiles.truncate(segment.path, segment.size, sync);
            discardedOnOpen += lost;
            openProblems.add(segment.path.getFileName() + ": " + problem + " at byte " + segment.size + "; cut "
                    + (data.limit() - segment.size) + " bytes, " + lost + " unacknowledged message(s) lost");
        }
        segments.add(segment);
        return last;
    }

    /**
     * Counts the unacknowledged records in what is cut off a last segment, from data's position on: a torn append
     * is one, but a damaged frame in the middle takes every later frame with it. Walks the frames by their length
     * fields; a frame whose checksum fails is taken to hold the sequence after the one before it. A damaged length
     * field ends the walk, so the count is then a lower bound (the rest counts as one).
     */
    private long countCut(ByteBuffer data, long last) {
        long lost = 0;
        long sequence = last;
        while (data.hasRemaining()) {
            int length = data.remaining() < HEADER ? -1 : data.getInt();
            if (length < 0 || length > data.remaining() - (HEADER - Integer.BYTES)) {
                lost += ++sequence > position ? 1 : 0;
                break;
            }
            int crc = data.getInt();
            long stored = data.getLong();
            boolean valid = crc == StoreFiles.crc(stored, data.slice(data.position(), length)) && stored > sequence;
            sequence = valid ? stored : sequence + 1;
            lost += sequence > position ? 1 : 0;
            data.position(data.position() + length);
        }
        return lost;
    }

    /** Appends one record. @return its sequence number */
    synchronized long append(byte[] record) throws IOException, StoreFullException {
        Objects.requireNonNull(record, "record");
        ensureOpen();
        long frame = HEADER + (long) record.length;
        if (frame > Math.min(maxBytes, Integer.MAX_VALUE - 8)) {
            rejected++;
            throw new StoreFullException("message of " + record.length + " bytes exceeds the store's " + maxBytes,
                    true);
        }
        if (policy == OverflowPolicy.REJECT_NEW && (slots.size() >= maxMessages || bytes + frame > maxBytes)) {
            rejected++;
            throw new StoreFullException("store full: " + slots.size() + " messages, " + bytes + " bytes", false);
        }
        if (nextSequence > StoreFiles.MAX_NUMBER) {
            rejected++;
            throw new StoreFullException("store's sequence numbers used up: new messages are refused until the stored"
                    + " ones are delivered and the store is opened again", false);
        }
        Segment segment = segments.get(segments.size() - 1);
        if (segment.size > 0 && segment.size + frame > SEGMENT_BYTES) {
            segment = roll();
        }
        long sequence = nextSequence;
        ByteBuffer buffer = ByteBuffer.allocate((int) frame).putInt(record.length)
                .putInt(StoreFiles.crc(sequence, ByteBuffer.wrap(record))).putLong(sequence).put(record).flip();
        try {
            StoreFiles.writeFully(tail, buffer, segment.size);
            if (sync) {
                tail.force(false);
            }
        } catch (IOException e) {
            try { // else the next open would cut every later append off with this half frame
                tail.truncate(segment.size);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        slots.add(new Slot(sequence, segment, segment.size, (int) frame));
        segment.size += frame;
        bytes += frame;
        nextSequence++;
        if (dropWhileOver()) { // only after the write succeeded: a failed append drops nothing
            reclaim();
        }
        return sequence;
    }

    /** @return up to max oldest unacknowledged records, in order, without removing them */
    synchronized List<Entry> peek(int max) throws IOException {
        ensureOpen();
        List<Entry> entries = new ArrayList<>();
        for (Slot slot : slots) {
            if (entries.size() >= max) {
                break;
            }
            byte[] record = new byte[slot.frame - HEADER];
            StoreFiles.readFully(channel(slot.segment), ByteBuffer.wrap(record), slot.offset + HEADER);
            entries.add(new Entry(slot.sequence, record));
        }
        return entries;
    }

    /** Removes every record with sequence <= upTo, persistently. Tolerates upTo below what was dropped already. */
    synchronized void acknowledge(long upTo) throws IOException {
        ensureOpen();
        long target = Math.max(position, Math.min(upTo, nextSequence - 1)); // never cover sequences not yet issued
        if (target > persistedPosition) { // first: if it fails, nothing is forgotten
            writePosition(target);
        }
        position = target;
        while (!slots.isEmpty() && slots.peekFirst().sequence <= target) {
            bytes -= slots.removeFirst().frame;
        }
        reclaim();
    }

    // Counters. bytes: what the unconsumed records take in their segments, frames included. discardedOnOpen:
    // unconsumed records found torn or corrupt at open and cut off (one per cut at the tail). rejected: appends
    // refused, full under REJECT_NEW or larger than the store.
    synchronized long depth() { return slots.size(); }
    synchronized long bytes() { return bytes; }
    synchronized long droppedOldest() { return droppedOldest; }
    synchronized long discardedOnOpen() { return discardedOnOpen; }
    synchronized long rejected() { return rejected; }

    /** @return what open found wrong and repaired, for the log; empty for a clean store */
    synchronized List<String> openProblems() {
        return List.copyOf(openProblems);
    }

    @Override
    @SuppressWarnings("try") // the resources are only closed
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            if (openKey != null) {
                OPEN.remove(openKey);
            }
            try (FileChannel a = tail; FileChannel b = reader; FileChannel c = lockChannel) { // closing c unlocks
                // closes all three, even when one fails
            }
        }
    }

    /**
     * New limits, policy and sync mode for a running store (the bridge's configuration changed): applied at once, as
     * {@link #open} would apply them. A store above lowered limits drops its oldest records under DROP_OLDEST, and
     * refuses appends until it drains under REJECT_NEW.
     */
    synchronized void limits(long newMaxMessages, long newMaxBytes, OverflowPolicy newPolicy, boolean newSync)
            throws IOException {
        if (newMaxMessages < 1 || newMaxBytes <= HEADER) {
            throw new IllegalArgumentException("limits too small: " + newMaxMessages + " messages, " + newMaxBytes
                    + " bytes");
        }
        maxMessages = newMaxMessages;
        maxBytes = newMaxBytes;
        policy = Objects.requireNonNull(newPolicy, "policy");
        sync = newSync;
        if (dropWhileOver()) {
            writePosition(position);
        }
    }

    /** Under DROP_OLDEST, drops the oldest records until within the limits. @return whether any were dropped */
    private boolean dropWhileOver() {
        boolean dropped = false;
        while (policy == OverflowPolicy.DROP_OLDEST && (slots.size() > maxMessages || bytes > maxBytes)) {
            Slot oldest = slots.removeFirst();
            bytes -= oldest.frame;
            position = oldest.sequence; // persisted lazily, see the class comment
            droppedOldest++;
            dropped = true;
        }
        return dropped;
    }

    /** Deletes the leading segments that hold only consumed records; never the last (it names the next sequence). */
    private void reclaim() throws IOException {
        long head = slots.isEmpty() ? nextSequence : slots.peekFirst().sequence;
        while (segments.size() > 1 && segments.get(1).first <= head) {
            if (readerSegment == segments.get(0)) {
                closeReader();
            }
            Files.deleteIfExists(segments.get(0).path);
            segments.remove(0);
        }
    }

    private Segment roll() throws IOException {
        Segment segment = new Segment(nextSequence, dir.resolve(StoreFiles.name("", nextSequence, SEGMENT)));
        FileChannel channel = FileChannel.open(segment.path, Set.of(CREATE_NEW, READ, WRITE), fileAttributes);
        if (tail != null) {
            tail.close(); // forced per append already when syncing; else the OS writes it back
        }
        tail = channel;
        segments.add(segment);
        if (sync) {
            StoreFiles.syncDirectory(dir);
        }
        return segment;
    }

    private FileChannel channel(Segment segment) throws IOException {
        if (segment == segments.get(segments.size() - 1)) {
            return tail;
        }
        if (readerSegment != segment) {
            closeReader();
            reader = FileChannel.open(segment.path, READ);
            readerSegment = segment;
        }
        return reader;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerSegment = null;
        }
    }

    /** An atomic rename of an empty file: no data to write, and no temp file that a crash could leave behind. */
    private void writePosition(long value) throws IOException {
        Files.move(dir.resolve(StoreFiles.name(ACKED, persistedPosition, "")),
                dir.resolve(StoreFiles.name(ACKED, value, "")), StandardCopyOption.ATOMIC_MOVE);
        persistedPosition = value;
        if (sync) {
            StoreFiles.syncDirectory(dir);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("message store " + dir + " is closed");
        }
    }
}
