package org.edgeha.mqtt.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.edgeha.mqtt.api.OverflowPolicy;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The message store on real files: order, restarts, limits, torn writes, space reclaim, threads. */
public class MessageStoreTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path dir;
    private MessageStore store;

    @Before
    public void setUp() {
        dir = temp.getRoot().toPath().resolve("store");
    }

    @After
    public void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    private MessageStore open(long maxMessages, long maxBytes, OverflowPolicy policy) throws IOException {
        if (store != null) {
            store.close();
        }
        store = MessageStore.open(dir, maxMessages, maxBytes, policy, false);
        return store;
    }

    private MessageStore open() throws IOException {
        return open(1000, 1 << 20, OverflowPolicy.REJECT_NEW);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> texts(List<MessageStore.Entry> entries) {
        return entries.stream().map(e -> new String(e.record(), UTF_8)).collect(Collectors.toList());
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    public void appendPeekAcknowledgeInOrder() throws Exception {
        open();
        long a = store.append(bytes("a"));
        long b = store.append(bytes("b"));
        long c = store.append(bytes("c"));
        assertTrue(a < b && b < c);
        assertEquals(3, store.depth());
        assertEquals(3 * (MessageStore.HEADER + 1), store.bytes());
        assertEquals(List.of("a", "b"), texts(store.peek(2)));
        assertEquals(List.of("a", "b", "c"), texts(store.peek(10)));
        assertEquals(b, store.peek(2).get(1).sequence());

        store.acknowledge(a);
        assertEquals(List.of("b", "c"), texts(store.peek(10)));
        store.acknowledge(a); // again: nothing changes
        assertEquals(2, store.depth());
        store.acknowledge(c);
        assertEquals(List.of(), store.peek(10));
        assertEquals(0, store.depth());
        assertEquals(0, store.bytes());
        assertTrue(store.append(bytes("d")) > c);
    }

    @Test
    public void restartKeepsUnacknowledgedAndSequencesContinue() throws Exception {
        open();
        long first = store.append(bytes("one"));
        long second = store.append(bytes("two"));
        store.append(bytes("three"));
        store.acknowledge(first);
        store.close();

        open();
        List<MessageStore.Entry> entries = store.peek(10);
        assertEquals(List.of("two", "three"), texts(entries));
        assertEquals(second, entries.get(0).sequence());
        assertEquals(0, store.discardedOnOpen());
        assertEquals(List.of(), store.openProblems());
        long fourth = store.append(bytes("four"));
        assertTrue(fourth > entries.get(1).sequence());
        assertEquals(List.of("two", "three", "four"), texts(store.peek(10)));
    }

    @Test
    public void acknowledgedAreNotRedeliveredAfterReopenAndSequencesAreNeverReused() throws Exception {
        open();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = store.append(bytes("m" + i));
        }
        store.acknowledge(last); // everything: nothing left but the position
        store.close();

        open();
        assertEquals(0, store.depth());
        assertEquals(List.of(), store.peek(10));
        long next = store.append(bytes("after"));
        assertTrue(next > last);
        store.close();

        open();
        assertEquals(List.of("after"), texts(store.peek(10)));
        assertEquals(next, store.peek(1).get(0).sequence());
    }

    @Test
    public void acknowledgeBeyondTheLastSequenceDoesNotSwallowLaterAppends() throws Exception {
        open();
        long a = store.append(bytes("a"));
        store.acknowledge(a + 1000);
        store.append(bytes("b"));
        store.close();
        open();
        assertEquals(List.of("b"), texts(store.peek(10)));
    }

    @Test
    public void rejectNewAtTheCountLimitChangesNothing() throws Exception {
        open(3, 1 << 20, OverflowPolicy.REJECT_NEW);
        for (String s : List.of("a", "b", "c")) {
            store.append(bytes(s));
        }
        long bytesBefore = store.bytes();
        try {
            store.append(bytes("d"));
            fail("appended beyond the count limit");
        } catch (StoreFullException expected) {
            assertFalse(expected.neverFits());
        }
        assertEquals(1, store.rejected());
        assertEquals(3, store.depth());
        assertEquals(bytesBefore, store.bytes());
        assertEquals(0, store.droppedOldest());
        assertEquals(List.of("a", "b", "c"), texts(store.peek(10)));

        store.acknowledge(store.peek(1).get(0).sequence()); // room again
        store.append(bytes("d"));
        store.close();
        open(3, 1 << 20, OverflowPolicy.REJECT_NEW);
        assertEquals(List.of("b", "c", "d"), texts(store.peek(10)));
    }

    @Test
    public void newLimitsApplyToARunningStoreAsAReopenWouldApplyThem() throws Exception {
        open(10, 1 << 20, OverflowPolicy.REJECT_NEW);
        for (String s : List.of("a", "b", "c", "d")) {
            store.append(bytes(s));
        }
        store.limits(3, 1 << 20, OverflowPolicy.REJECT_NEW, false); // lowered: kept, new ones refused until it drains
        assertEquals(4, store.depth());
        assertThrows(StoreFullException.class, () -> store.append(bytes("e")));

        store.limits(2, 1 << 20, OverflowPolicy.DROP_OLDEST, true); // the oldest go at once, and are counted
        assertEquals(List.of("c", "d"), texts(store.peek(10)));
        assertEquals(2, store.droppedOldest());
        store.append(bytes("e"));
        assertEquals(List.of("d", "e"), texts(store.peek(10)));
        store.close();
        open(2, 1 << 20, OverflowPolicy.DROP_OLDEST);
        assertEquals("the drop was persisted", List.of("d", "e"), texts(store.peek(10)));
        assertThrows(IllegalArgumentException.class, () -> store.limits(0, 1 << 20, OverflowPolicy.REJECT_NEW, false));
    }

    @Test
    public void rejectNewAtTheByteLimitChangesNothing() throws Exception {
        int frame = MessageStore.HEADER + 10;
        open(1000, 2L * frame + MessageStore.HEADER + 3, OverflowPolicy.REJECT_NEW);
        store.append(new byte[10]);
        store.append(new byte[10]);
        try {
            store.append(new byte[10]);
            fail("appended beyond the byte limit");
        } catch (StoreFullException expected) {
            assertFalse(expected.neverFits());
        }
        assertEquals(1, store.rejected());
        assertEquals(2, store.depth());
        assertEquals(2L * frame, store.bytes());
        store.append(new byte[0]); // a smaller record still fits
        assertEquals(3, store.depth());
    }

    @Test
    public void recordLargerThanTheStoreIsRejectedUnderEitherPolicy() throws Exception {
        for (OverflowPolicy policy : OverflowPolicy.values()) {
            dir = temp.getRoot().toPath().resolve(policy.name());
            open(10, 100, policy);
            store.append(bytes("keep"));
            try {
                store.append(new byte[100 - MessageStore.HEADER + 1]);
                fail("stored a record larger than the store under " + policy);
            } catch (StoreFullException expected) {
                assertTrue(expected.neverFits());
            }
            assertEquals(1, store.rejected());
            assertEquals(0, store.droppedOldest());
            assertEquals(List.of("keep"), texts(store.peek(10)));
            store.acknowledge(Long.MAX_VALUE);
            store.append(new byte[100 - MessageStore.HEADER]); // exactly the limit fits
        }
    }

    @Test
    public void dropOldestKeepsTheNewestCountsAndToleratesStaleAcknowledgements() throws Exception {
        open(3, 1 << 20, OverflowPolicy.DROP_OLDEST);
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sequences.add(store.append(bytes("m" + i)));
        }
        assertEquals(List.of("m2", "m3", "m4"), texts(store.peek(10)));
        assertEquals(2, store.droppedOldest());
        assertEquals(0, store.rejected());
        assertEquals(3, store.depth());

        store.acknowledge(sequences.get(0)); // in flight when dropped: below what is gone already
        assertEquals(List.of("m2", "m3", "m4"), texts(store.peek(10)));
        store.acknowledge(sequences.get(2));
        assertEquals(List.of("m3", "m4"), texts(store.peek(10)));

        // by bytes: one big record pushes out the rest
        store.append(new byte[(1 << 20) - MessageStore.HEADER - 10]);
        assertEquals(1, store.depth());
        assertEquals(4, store.droppedOldest());
    }

    @Test
    public void dropsNotYetPersistedAreAppliedAgainAtOpen() throws Exception {
        open(2, 1 << 20, OverflowPolicy.DROP_OLDEST);
        for (int i = 0; i < 4; i++) {
            store.append(bytes("m" + i));
        }
        store.close(); // no acknowledge: the drops were not persisted
        open(2, 1 << 20, OverflowPolicy.DROP_OLDEST);
        assertEquals(List.of("m2", "m3"), texts(store.peek(10)));
        assertEquals(2, store.droppedOldest());
        store.close();

        open(1, 1 << 20, OverflowPolicy.REJECT_NEW); // limits lowered: nothing accepted is dropped
        assertEquals(List.of("m2", "m3"), texts(store.peek(10)));
        assertEquals(1, store.openProblems().size());
        try {
            store.append(bytes("x"));
            fail("appended to an overfull store");
        } catch (StoreFullException expected) {
            // refused until it drains
        }
    }

    @Test
    public void tornTailIsCutOffCountedAndAppendsGoOn() throws Exception {
        open();
        store.append(bytes("alpha"));
        store.append(bytes("beta"));
        long torn = store.append(bytes("gamma-gamma"));
        store.close();
        Path segment = segments().get(segments().size() - 1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5); // mid-record, as kill -9 mid-append leaves it
        }

        open();
        assertEquals(1, store.discardedOnOpen());
        assertEquals(1, store.openProblems().size());
        assertEquals(List.of("alpha", "beta"), texts(store.peek(10)));
        long next = store.append(bytes("delta"));
        assertTrue(next >= torn);
        store.close();

        open();
        assertEquals(0, store.discardedOnOpen()); // the cut was made on disk
        assertEquals(List.of("alpha", "beta", "delta"), texts(store.peek(10)));
    }

    @Test
    public void tornHeaderIsCutOff() throws Exception {
        open();
        store.append(bytes("alpha"));
        store.close();
        Path segment = segments().get(0);
        Files.write(segment, new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
        open();
        assertEquals(1, store.discardedOnOpen());
        assertEquals(List.of("alpha"), texts(store.peek(10)));
    }

    @Test
    public void flippedByteInTheLastRecordIsCutOff() throws Exception {
        open();
        store.append(bytes("alpha"));
        store.append(bytes("beta"));
        store.append(bytes("gamma"));
        store.close();
        Path segment = segments().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(file.length() - 2);
            int b = file.read();
            file.seek(file.length() - 2);
            file.write(b ^ 0x01);
        }

        open();
        assertEquals(1, store.discardedOnOpen());
        assertEquals(List.of("alpha", "beta"), texts(store.peek(10)));
        store.append(bytes("delta"));
        assertEquals(List.of("alpha", "beta", "delta"), texts(store.peek(10)));
    }

    @Test
    public void aDamagedRecordEarlyInTheLastSegmentCountsEveryUnacknowledgedRecordCutWithIt() throws Exception {
        open();
        for (int i = 1; i <= 10; i++) {
            store.append(bytes("record-" + i)); // sequences 1..10, 24 bytes a frame
        }
        store.acknowledge(1);
        store.close();
        Path segment = segments().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = 2L * (MessageStore.HEADER + 8) + MessageStore.HEADER + 3; // inside record 3
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }

        open();
        assertEquals("records 3 to 10 were cut off with the damaged one", 8, store.discardedOnOpen());
        assertTrue(store.openProblems().toString(), store.openProblems().get(0).contains("8 unacknowledged message(s) lost"));
        assertEquals(List.of("record-2"), texts(store.peek(10)));
    }

    @Test
    public void aDamagedRecordBeforeTheAcknowledgedPositionCountsOnlyTheUnacknowledgedOnesCut() throws Exception {
        open();
        for (int i = 1; i <= 10; i++) {
            store.append(bytes("record-" + i));
        }
        store.acknowledge(6);
        store.close();
        Path segment = segments().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = 2L * (MessageStore.HEADER + 8) + MessageStore.HEADER + 3; // inside record 3, consumed already
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }

        open();
        assertEquals("records 7 to 10", 4, store.discardedOnOpen());
        assertEquals(List.of(), texts(store.peek(10)));
    }

    @Test
    public void corruptOlderSegmentLosesOnlyItsOwnTail() throws Exception {
        open(100_000, 1L << 30, OverflowPolicy.REJECT_NEW);
        byte[] record = new byte[100_000];
        for (int i = 0; i < 25; i++) { // about 2.4 MB: three segments
            record[0] = (byte) i;
            store.append(record.clone());
        }
        store.close();
        List<Path> files = segments();
        assertEquals(3, files.size());
        try (RandomAccessFile file = new RandomAccessFile(files.get(0).toFile(), "rw")) {
            long at = 5L * (MessageStore.HEADER + 100_000) + MessageStore.HEADER + 50; // inside the 6th record
            file.seek(at);
            file.write(file.read() ^ 0xFF);
        }

        open(100_000, 1L << 30, OverflowPolicy.REJECT_NEW);
        int inFirst = (int) (MessageStore.SEGMENT_BYTES / (MessageStore.HEADER + 100_000)); // 10 records
        assertEquals(inFirst - 5, store.discardedOnOpen());
        List<MessageStore.Entry> entries = store.peek(100);
        assertEquals(25 - (inFirst - 5), entries.size());
        assertEquals(4, entries.get(4).record()[0]);
        assertEquals(inFirst, entries.get(5).record()[0]); // the next segment carries on
        assertEquals(24, entries.get(entries.size() - 1).record()[0]);
    }

    @Test
    public void lostOrDuplicatedPositionRedeliversInsteadOfLosing() throws Exception {
        open();
        long a = store.append(bytes("a"));
        long b = store.append(bytes("b"));
        store.append(bytes("c"));
        store.acknowledge(a);
        store.close();
        Files.createFile(dir.resolve(String.format("acked.%020d", b))); // two positions: the lower one wins
        open();
        assertEquals(List.of("b", "c"), texts(store.peek(10)));
        assertEquals(1, store.openProblems().size());
        store.close();

        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith("acked.")) {
                    Files.delete(file);
                }
            }
        }
        open();
        assertEquals(List.of("a", "b", "c"), texts(store.peek(10)));
        assertEquals(1, store.openProblems().size());
        assertTrue(store.append(bytes("d")) > b + 1);
    }

    @Test
    public void segmentsAreDeletedOnceAcknowledgedSoDiskUsageStaysBounded() throws Exception {
        open(1000, 4L << 20, OverflowPolicy.REJECT_NEW);
        byte[] record = new byte[1000];
        long maxDisk = 0;
        for (int i = 0; i < 10_000; i++) { // 10 MB through the store, one message at a time
            long sequence = store.append(record);
            assertEquals(sequence, store.peek(1).get(0).sequence());
            store.acknowledge(sequence);
            if (i % 500 == 0) {
                maxDisk = Math.max(maxDisk, diskUsage());
            }
        }
        maxDisk = Math.max(maxDisk, diskUsage());
        assertTrue("disk usage " + maxDisk, maxDisk <= MessageStore.SEGMENT_BYTES + 2048);
        assertTrue(segments().size() <= 2);
        assertEquals(0, store.depth());
    }

    private long diskUsage() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long sum = 0;
            for (Path file : (Iterable<Path>) files::iterator) {
                sum += Files.size(file);
            }
            return sum;
        }
    }

    @Test
    public void concurrentAppendsLoseNothingAndKeepPerThreadOrder() throws Exception {
        open(100_000, 64L << 20, OverflowPolicy.REJECT_NEW);
        int threads = 8;
        int each = 1000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        store.append(bytes(id + ":" + i));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            appenders.add(thread);
            thread.start();
        }
        // one forwarder, as the bridge runs it, peeking and acknowledging meanwhile
        List<MessageStore.Entry> delivered = new ArrayList<>();
        AtomicBoolean appending = new AtomicBoolean(true);
        Thread forwarder = new Thread(() -> {
            try {
                while (true) {
                    boolean last = !appending.get();
                    List<MessageStore.Entry> batch = store.peek(50);
                    if (!batch.isEmpty()) {
                        delivered.addAll(batch);
                        store.acknowledge(batch.get(batch.size() - 1).sequence());
                    } else if (last) {
                        return;
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        forwarder.start();
        start.countDown();
        for (Thread thread : appenders) {
            thread.join();
        }
        appending.set(false);
        forwarder.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }

        assertEquals(threads * each, delivered.size());
        Map<String, Integer> next = new HashMap<>();
        long previous = 0;
        for (MessageStore.Entry entry : delivered) {
            assertTrue(entry.sequence() > previous);
            previous = entry.sequence();
            String[] parts = new String(entry.record(), UTF_8).split(":");
            int expected = next.getOrDefault(parts[0], 0);
            assertEquals("thread " + parts[0], expected, Integer.parseInt(parts[1]));
            next.put(parts[0], expected + 1);
        }
        assertEquals(0, store.depth());
    }

    @Test
    public void filesAndDirectoryAreOwnerOnly() throws Exception {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        open();
        long a = store.append(bytes("secret"));
        store.acknowledge(a); // renames the position file
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                assertEquals(file.toString(), "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
    }

    @Test
    public void aSecondOpenOfTheSameDirectoryFailsWithoutHarmingTheFirst() throws Exception {
        open();
        store.append(bytes("a"));
        try {
            MessageStore.open(dir, 10, 1000, OverflowPolicy.REJECT_NEW, false).close();
            fail("opened twice");
        } catch (IOException expected) {
            // in use
        }
        store.append(bytes("b"));
        assertEquals(List.of("a", "b"), texts(store.peek(10)));
    }

    @Test
    public void peekReturnsRecordsThatSpanSegmentsAndSyncedStoreWorks() throws Exception {
        store = MessageStore.open(dir, 1000, 16L << 20, OverflowPolicy.REJECT_NEW, true);
        byte[] big = new byte[700_000];
        for (int i = 0; i < 3; i++) {
            big[big.length - 1] = (byte) i;
            store.append(big.clone());
        }
        assertEquals(3, segments().size());
        List<MessageStore.Entry> entries = store.peek(10);
        assertEquals(3, entries.size());
        for (int i = 0; i < 3; i++) {
            big[big.length - 1] = (byte) i;
            assertArrayEquals(big, entries.get(i).record());
        }
        store.acknowledge(entries.get(1).sequence());
        assertEquals(1, segments().size());
    }

    /** Found by MessageStoreFuzzTest: a file named with 20 digits beyond Long.MAX_VALUE made open() throw NumberFormatException. */
    @Test
    public void fileNamesBeyondTheLongRangeAreLeftAlone() throws Exception {
        Path dir = temp.getRoot().toPath().resolve("beyond");
        Files.createDirectories(dir);
        Files.createFile(dir.resolve("acked.90000000000000000000"));
        Files.createFile(dir.resolve("99999999999999999999.seg"));
        // and numbers no store reaches: an acknowledged position of Long.MAX_VALUE made the next sequence wrap to a
        // negative number, and the store then failed to open again (found by MessageStoreFuzzTest)
        Files.createFile(dir.resolve(StoreFiles.name("acked.", Long.MAX_VALUE, "")));
        Files.createFile(dir.resolve(StoreFiles.name("", Long.MAX_VALUE - 1, ".seg")));
        try (MessageStore store = MessageStore.open(dir, 10, 1 << 20, OverflowPolicy.REJECT_NEW, false)) {
            assertEquals(1, store.append(new byte[] {1}));
        }
        try (MessageStore store = MessageStore.open(dir, 10, 1 << 20, OverflowPolicy.REJECT_NEW, false)) {
            assertEquals(2, store.append(new byte[] {2}));
        }
    }

    /**
     * Found by MessageStoreFuzzTest: an acknowledged position of {@link StoreFiles#MAX_NUMBER} (put there from
     * outside) made the store create a segment named beyond it, which the next open left alone, losing its message,
     * and then failed because the name was taken.
     */
    @Test
    public void usedUpSequencesWithNothingUnacknowledgedStartAgainAtOne() throws Exception {
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(StoreFiles.name("acked.", StoreFiles.MAX_NUMBER, "")));
        Path leftAlone = dir.resolve(StoreFiles.name("", StoreFiles.MAX_NUMBER + 1, ".seg"));
        Files.write(leftAlone, new byte[] {7});
        open();
        assertTrue(store.openProblems().toString(), store.openProblems().toString().contains("numbering starts again"));
        assertEquals(1, store.append(bytes("first")));
        open();
        assertEquals(List.of("first"), texts(store.peek(10)));
        assertEquals(2, store.append(bytes("second")));
        assertEquals(List.of(), store.openProblems());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(leftAlone));
    }

    @Test
    public void usedUpSequencesWithUnconsumedRecordsRefuseAppendsUntilDrainedAndReopened() throws Exception {
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(StoreFiles.name("acked.", 0, "")));
        byte[] last = bytes("last");
        byte[] beyond = bytes("beyond");
        ByteBuffer frames = ByteBuffer.allocate(2 * MessageStore.HEADER + last.length + beyond.length);
        frames.putInt(last.length).putInt(StoreFiles.crc(StoreFiles.MAX_NUMBER, ByteBuffer.wrap(last)))
                .putLong(StoreFiles.MAX_NUMBER).put(last);
        frames.putInt(beyond.length).putInt(StoreFiles.crc(StoreFiles.MAX_NUMBER + 1, ByteBuffer.wrap(beyond)))
                .putLong(StoreFiles.MAX_NUMBER + 1).put(beyond);
        Files.write(dir.resolve(StoreFiles.name("", 1, ".seg")), frames.array());

        open();
        assertEquals("a sequence beyond the largest is damage", 1, store.discardedOnOpen());
        List<MessageStore.Entry> entries = store.peek(10);
        assertEquals(List.of("last"), texts(entries));
        assertEquals(StoreFiles.MAX_NUMBER, entries.get(0).sequence());
        assertTrue(store.openProblems().toString(), store.openProblems().toString().contains("refused until"));
        try {
            store.append(bytes("refused"));
            fail("appended beyond the largest sequence");
        } catch (StoreFullException expected) {
            assertFalse(expected.neverFits());
        }
        assertEquals(1, store.rejected());
        assertEquals(List.of("last"), texts(store.peek(10)));

        store.acknowledge(StoreFiles.MAX_NUMBER);
        open();
        assertEquals(1, store.append(bytes("again")));
        assertEquals(List.of("again"), texts(store.peek(10)));
    }
}
