package org.edgeha.gs.engine.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the engine's binary format from untrusted bytes: every length and count is checked against
 * what is left and against limits, so a malformed message fails with {@link WireFormatException} and
 * never allocates more than its own size.
 */
public final class WireIn {

    /** Reads one value; may throw {@link WireFormatException}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(WireIn in) throws WireFormatException;
    }

    private final ByteBuffer buf;

    public WireIn(byte[] bytes) {
        this.buf = ByteBuffer.wrap(bytes);
    }

    public int u8() throws WireFormatException {
        need(1);
        return buf.get() & 0xff;
    }

    public boolean bool() throws WireFormatException {
        int b = u8();
        if (b > 1) {
            throw new WireFormatException("bad boolean " + b);
        }
        return b == 1;
    }

    public int i32() throws WireFormatException {
        need(4);
        return buf.getInt();
    }

    public long i64() throws WireFormatException {
        need(8);
        return buf.getLong();
    }

    public byte[] bytes(int max) throws WireFormatException {
        int n = i32();
        if (n < 0 || n > max) {
            throw new WireFormatException("byte array of " + n + " bytes (limit " + max + ")");
        }
        need(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    public String str(int maxChars) throws WireFormatException {
        byte[] b = bytes(maxChars * 4);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            if (s.length() > maxChars) {
                throw new WireFormatException("string of " + s.length() + " characters (limit " + maxChars + ")");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw new WireFormatException("malformed UTF-8");
        }
    }

    public <E extends Enum<E>> E enumOf(Class<E> type) throws WireFormatException {
        int i = u8();
        E[] all = type.getEnumConstants();
        if (i >= all.length) {
            throw new WireFormatException("bad " + type.getSimpleName() + " " + i);
        }
        return all[i];
    }

    public <T> T opt(Reader<T> reader) throws WireFormatException {
        return bool() ? reader.read(this) : null;
    }

    public <T> List<T> list(int max, Reader<T> reader) throws WireFormatException {
        int n = i32();
        if (n < 0 || n > max || n > buf.remaining()) {
            throw new WireFormatException("list of " + n + " entries (limit " + max + ")");
        }
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(reader.read(this));
        }
        return list;
    }

    public void end() throws WireFormatException {
        if (buf.hasRemaining()) {
            throw new WireFormatException(buf.remaining() + " trailing bytes");
        }
    }

    private void need(int n) throws WireFormatException {
        if (buf.remaining() < n) {
            throw new WireFormatException("truncated");
        }
    }
}
