package org.edgeha.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.OverflowPolicy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The store-and-forward folder as a crash (or an operator) may leave it: segment files of frames with valid or broken
 * checksums, sequences in or out of order, torn tails, odd file names and acknowledged positions. Opening it either
 * works or fails with {@link IOException}, never anything else; an opened store hands out its records in sequence
 * order, takes new ones and opens again.
 */
class MessageStoreFuzzTest {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("edgeha-store-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void open(FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory(ROOT, "s");
        try {
            if (data.consumeBoolean()) {
                Files.createFile(dir.resolve("acked." + number(data)));
            }
            for (int s = data.consumeInt(0, 2); s > 0; s--) {
                ByteBuffer segment = ByteBuffer.allocate(4096);
                for (int f = data.consumeInt(0, 4); f > 0 && segment.remaining() > 200; f--) {
                    byte[] record = data.consumeBoolean() ? MessageCodec.encode(OutboundMessage.of("t/" + f, new byte[f]))
                            : data.consumeBytes(64);
                    long sequence = data.consumeBoolean() ? data.consumeLong(0, 20) : data.consumeLong();
                    int crc = StoreFiles.crc(sequence, ByteBuffer.wrap(record));
                    segment.putInt(data.consumeInt(0, 15) == 0 ? data.consumeInt() : record.length)
                            .putInt(data.consumeInt(0, 15) == 0 ? data.consumeInt() : crc).putLong(sequence).put(record);
                }
                segment.put(data.consumeBytes(Math.min(segment.remaining(), 40)));
                Files.write(dir.resolve(number(data) + ".seg"), written(segment));
            }
            long maxMessages = data.consumeLong(1, 10);
            long maxBytes = data.consumeLong(MessageStore.HEADER + 1, 1 << 16);
            OverflowPolicy policy = data.pickValue(OverflowPolicy.values());
            MessageStore store;
            try {
                store = MessageStore.open(dir, maxMessages, maxBytes, policy, false);
            } catch (IOException refused) {
                return;
            }
            try (store) {
                List<MessageStore.Entry> entries = store.peek(20);
                for (int i = 1; i < entries.size(); i++) {
                    assertTrue(entries.get(i - 1).sequence() < entries.get(i).sequence(), "records out of order");
                }
                for (MessageStore.Entry e : entries) {
                    try {
                        MessageCodec.decode(e.record());
                    } catch (IOException unreadable) {
                        // the forwarder drops it and goes on
                    }
                }
                if (!entries.isEmpty() && data.consumeBoolean()) {
                    store.acknowledge(entries.get(entries.size() / 2).sequence());
                }
                try {
                    long sequence = store.append(MessageCodec.encode(OutboundMessage.of("after/crash", new byte[3])));
                    assertTrue(sequence > 0, "sequence " + sequence);
                } catch (StoreFullException full) {
                    // REJECT_NEW over its limits
                }
            }
            MessageStore.open(dir, maxMessages, maxBytes, policy, false).close();
        } finally {
            delete(dir);
        }
    }

    /** A file number: small, near the top of the long range, or 20 digits beyond it. */
    private static String number(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> StoreFiles.name("", data.consumeLong(0, 30), "");
            case 1 -> StoreFiles.name("", Long.MAX_VALUE - data.consumeLong(0, 3), "");
            case 2 -> "9" + "0".repeat(18) + data.consumeInt(0, 9);
            default -> data.consumeAsciiString(22).replaceAll("[^0-9A-Za-z.]", "0");
        };
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static byte[] written(ByteBuffer b) {
        return Arrays.copyOf(b.array(), b.position());
    }
}
