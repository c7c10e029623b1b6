package org.edgeha.gs.engine.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgeha.gs.engine.wire.WireFormatException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The link layer's frames: {@link Envelope#decode} returns a frame or throws {@link WireFormatException}; a
 * decoded frame encodes to exactly the bytes it came from.
 */
class EnvelopeFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] bytes) throws WireFormatException {
        Envelope e;
        try {
            e = Envelope.decode(bytes);
        } catch (WireFormatException rejected) {
            return;
        }
        assertArrayEquals(bytes, e.encode());
        Envelope back = Envelope.decode(e.encode());
        assertEquals(e.kind(), back.kind());
        assertEquals(e.from(), back.from());
        assertEquals(e.to(), back.to());
        assertEquals(e.seq(), back.seq());
        assertEquals(e.ack(), back.ack());
        assertArrayEquals(e.payload(), back.payload());
    }
}
