package org.edgeha.gs.engine.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/** Writes the engine's binary format: big-endian primitives, length-prefixed strings and byte arrays. */
public final class WireOut {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(buffer);

    public WireOut u8(int v) {
        return io(() -> out.writeByte(v));
    }

    public WireOut bool(boolean v) {
        return io(() -> out.writeBoolean(v));
    }

    public WireOut i32(int v) {
        return io(() -> out.writeInt(v));
    }

    public WireOut i64(long v) {
        return io(() -> out.writeLong(v));
    }

    public WireOut str(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public WireOut bytes(byte[] b) {
        return io(() -> {
            out.writeInt(b.length);
            out.write(b);
        });
    }

    /** Writes a presence flag, then the value if present. */
    public <T> WireOut opt(T value, BiConsumer<WireOut, T> writer) {
        bool(value != null);
        if (value != null) {
            writer.accept(this, value);
        }
        return this;
    }

    public <T> WireOut list(List<T> values, BiConsumer<WireOut, T> writer) {
        i32(values.size());
        for (T v : values) {
            writer.accept(this, v);
        }
        return this;
    }

    public byte[] toBytes() {
        return buffer.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private WireOut io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return this;
    }
}
