package org.edgeha.gs.engine.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Group Services protocol messages from the network (docs/RELIABILITY.md, Fuzzing). The last input byte picks one
 * of two checks:
 * <ul>
 * <li>even: the rest is a message off the wire. {@link MsgCodec#decode} returns a message or throws
 * {@link WireFormatException} (the engine counts it as malformed), never anything else; what it returns encodes to
 * a canonical form that decodes to the same message.</li>
 * <li>odd: {@link MsgGen} builds a valid message from the rest; {@code decode(encode(m))} gives it back, and every
 * truncation of its encoding and a trailing byte are refused with {@link WireFormatException}.</li>
 * </ul>
 */
class MsgCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(FuzzedDataProvider data) throws WireFormatException {
        if (data.consumeBoolean()) {
            roundTrip(new MsgGen(data).msg());
        } else {
            decode(data.consumeRemainingAsBytes());
        }
    }

    private static void decode(byte[] bytes) {
        Msg m;
        try {
            m = MsgCodec.decode(bytes);
        } catch (WireFormatException rejected) {
            return;
        }
        byte[] again = MsgCodec.encode(m);
        Msg back;
        try {
            back = MsgCodec.decode(again);
        } catch (WireFormatException e) {
            throw new AssertionError("the encoding of a decoded message is refused: " + e.getMessage(), e);
        }
        assertEquals(m, back);
        assertArrayEquals(again, MsgCodec.encode(back));
    }

    private static void roundTrip(Msg m) throws WireFormatException {
        byte[] bytes = MsgCodec.encode(m);
        assertEquals(m, MsgCodec.decode(bytes));
        int cut = Math.floorMod(Arrays.hashCode(bytes), bytes.length);
        assertThrows(WireFormatException.class, () -> MsgCodec.decode(Arrays.copyOf(bytes, cut)));
        assertThrows(WireFormatException.class, () -> MsgCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }
}
