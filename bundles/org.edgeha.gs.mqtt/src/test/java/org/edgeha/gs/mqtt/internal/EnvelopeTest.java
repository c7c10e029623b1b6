package org.edgeha.gs.mqtt.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.Test;

/** The authenticated frame: what a client that can merely publish to the broker cannot do. */
public class EnvelopeTest {

    private static final String TOPIC = "edgeha/plant/gs/node/2";
    private final Envelope envelope = new Envelope("secret of the domain".getBytes(StandardCharsets.UTF_8));
    private final byte[] payload = "a vote".getBytes(StandardCharsets.UTF_8);

    private static String rejection(Envelope e, String topic, byte[] frame, int max) {
        try {
            e.open(topic, frame, max);
            fail("accepted");
            return null;
        } catch (Envelope.Rejected r) {
            return r.getMessage();
        }
    }

    @Test
    public void aSealedMessageOpensWithItsSenderAndPayload() throws Exception {
        byte[] frame = envelope.seal(TOPIC, 1, 77, 5, payload);
        assertEquals(payload.length + Envelope.OVERHEAD, frame.length);
        Envelope.Opened o = envelope.open(TOPIC, frame, 1024);
        assertEquals(1, o.node());
        assertEquals(77, o.incarnation());
        assertEquals(5, o.counter());
        assertArrayEquals(payload, o.payload());
    }

    @Test
    public void everyChangedByteIsDetected() {
        byte[] frame = envelope.seal(TOPIC, 1, 77, 5, payload);
        for (int i = 3; i < frame.length; i++) { // bytes 0-2 are the magic and version: "malformed"
            byte[] forged = frame.clone();
            forged[i] ^= 0x01;
            assertEquals("byte " + i, "bad-mac", rejection(envelope, TOPIC, forged, 1024));
        }
        byte[] badMagic = frame.clone();
        badMagic[0] = 'X';
        assertEquals("malformed", rejection(envelope, TOPIC, badMagic, 1024));
    }

    @Test
    public void aMessageCannotBeMovedToAnotherInboxOrDomainNorSealedWithAnotherKey() {
        byte[] frame = envelope.seal(TOPIC, 1, 77, 5, payload);
        assertEquals("bad-mac", rejection(envelope, "edgeha/plant/gs/node/3", frame, 1024));
        assertEquals("bad-mac", rejection(envelope, "edgeha/other/gs/node/2", frame, 1024));
        Envelope otherKey = new Envelope("guessed".getBytes(StandardCharsets.UTF_8));
        assertEquals("bad-mac", rejection(otherKey, TOPIC, frame, 1024));
    }

    @Test
    public void truncatedAndOversizedFramesAreRejectedBeforeAnyWork() {
        byte[] frame = envelope.seal(TOPIC, 1, 77, 5, payload);
        for (int len = 0; len < Envelope.OVERHEAD; len++) {
            assertEquals("truncated", rejection(envelope, TOPIC, Arrays.copyOf(frame, len), 1024));
        }
        assertEquals("bad-mac", rejection(envelope, TOPIC, Arrays.copyOf(frame, frame.length - 1), 1024));
        assertEquals("oversized", rejection(envelope, TOPIC, frame, frame.length - 1));
    }

    @Test
    public void theReplayGuardAcceptsOnlyNewerMessagesPerSender() {
        ReplayGuard guard = new ReplayGuard();
        assertTrue(guard.accept(1, 10, 1));
        assertTrue(guard.accept(1, 10, 3)); // a lost message in between is no reason to refuse
        assertFalse(guard.accept(1, 10, 3)); // the same again: replayed or redelivered
        assertFalse(guard.accept(1, 10, 2));
        assertFalse(guard.accept(1, 9, 100)); // an older incarnation
        assertTrue(guard.accept(1, 11, 1)); // restarted: counters start again
        assertTrue(guard.accept(2, 1, 1)); // other senders are independent
    }
}
