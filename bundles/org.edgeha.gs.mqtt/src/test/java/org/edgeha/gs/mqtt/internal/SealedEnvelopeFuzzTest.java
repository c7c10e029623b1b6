package org.edgeha.gs.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The sealed frame around every Group Services message on the broker, and the replay guard behind it. The last input
 * byte picks the check:
 * <ul>
 * <li>0: the rest is a frame off the broker. {@link Envelope#open} returns it opened or throws
 * {@link Envelope.Rejected}, never anything else; an opened frame seals back to the same bytes.</li>
 * <li>1: a frame sealed here from fuzzed header fields and payload opens to exactly those (or is refused as
 * malformed when a field is not positive); changed in any one byte, opened under another topic, or larger than the
 * limit, it is refused.</li>
 * <li>2: a sequence of (node, incarnation, counter) through {@link ReplayGuard}: accepted exactly when newer than
 * everything accepted from that node (checked against a model).</li>
 * </ul>
 */
class SealedEnvelopeFuzzTest {

    static final byte[] KEY = "fuzz-domain-key".getBytes(StandardCharsets.UTF_8);
    static final String TOPIC = "edgeha/fuzz/gs/node/2";
    static final int MAX = 64 * 1024;
    private static final Envelope ENVELOPE = new Envelope(KEY);

    @FuzzTest(maxDuration = "30s")
    void open(FuzzedDataProvider data) throws Envelope.Rejected {
        switch (data.consumeInt(0, 2)) {
            case 0 -> raw(data.consumeRemainingAsBytes());
            case 1 -> sealed(data);
            default -> replays(data);
        }
    }

    private static void raw(byte[] frame) throws Envelope.Rejected {
        Envelope.Opened o;
        try {
            o = ENVELOPE.open(TOPIC, frame, MAX);
        } catch (Envelope.Rejected refused) {
            return;
        }
        assertArrayEquals(frame, ENVELOPE.seal(TOPIC, o.node(), o.incarnation(), o.counter(), o.payload()));
    }

    private static void sealed(FuzzedDataProvider data) throws Envelope.Rejected {
        int node = data.consumeInt();
        long incarnation = data.consumeLong();
        long counter = data.consumeLong();
        int flip = data.consumeInt();
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] frame = ENVELOPE.seal(TOPIC, node, incarnation, counter, payload);
        if (node > 0 && incarnation > 0 && counter > 0) {
            Envelope.Opened o = ENVELOPE.open(TOPIC, frame, MAX + Envelope.OVERHEAD);
            assertEquals(node, o.node());
            assertEquals(incarnation, o.incarnation());
            assertEquals(counter, o.counter());
            assertArrayEquals(payload, o.payload());
        } else {
            refused(frame, TOPIC, MAX + Envelope.OVERHEAD);
        }
        byte[] changed = frame.clone();
        int at = Math.floorMod(flip, changed.length);
        changed[at] ^= (byte) (1 << Math.floorMod(flip >> 16, 8));
        refused(changed, TOPIC, MAX + Envelope.OVERHEAD);
        refused(frame, TOPIC + "x", MAX + Envelope.OVERHEAD);
        refused(frame, TOPIC, frame.length - 1);
    }

    private static void refused(byte[] frame, String topic, int max) {
        assertThrows(Envelope.Rejected.class, () -> ENVELOPE.open(topic, frame, max));
    }

    private static void replays(FuzzedDataProvider data) {
        ReplayGuard guard = new ReplayGuard();
        Map<Integer, long[]> newest = new HashMap<>();
        while (data.remainingBytes() > 0) {
            int node = data.consumeInt(1, 4);
            long inc = data.consumeBoolean() ? data.consumeLong(1, 4) : data.consumeLong();
            long counter = data.consumeBoolean() ? data.consumeLong(1, 8) : data.consumeLong();
            long[] n = newest.get(node);
            boolean newer = n == null || inc > n[0] || inc == n[0] && counter > n[1];
            if (guard.accept(node, inc, counter) != newer) {
                fail("replay guard " + (newer ? "refused" : "accepted") + " " + node + "/" + inc + "/" + counter);
            }
            if (newer) {
                newest.put(node, new long[] {inc, counter});
            }
        }
    }
}
