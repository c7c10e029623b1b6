package org.edgeha.gs.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A group's state value: opaque bytes defined by the client (GSAPI {@code ha_gs_state_value_t}).
 * Immutable; equal when the bytes are equal. At most {@link GsLimits#MAX_STATE_BYTES}, checked by the
 * engine.
 */
public final class StateValue {

    /** The state of a new group: no bytes. */
    public static final StateValue EMPTY = new StateValue(new byte[0]);

    private final byte[] bytes;

    private StateValue(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return a state value holding a copy of {@code bytes} */
    public static StateValue of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new StateValue(bytes.clone());
    }

    /** @return a state value holding {@code text} as UTF-8 */
    public static StateValue ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int size() {
        return bytes.length;
    }

    /** @return the bytes decoded as UTF-8 (malformed input replaced) */
    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateValue s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** @return the value as text when it is printable UTF-8, else as base64 */
    @Override
    public String toString() {
        return Printable.describe(bytes);
    }

    /** Shared by {@link StateValue} and {@link ProviderMessage}. */
    static final class Printable {
        private Printable() {
        }

        static String describe(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            boolean printable = Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)
                    && text.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
            return printable ? '"' + text + '"' : "base64:" + Base64.getEncoder().encodeToString(bytes);
        }

        static byte[] requireBytes(byte[] bytes) {
            return Objects.requireNonNull(bytes, "bytes");
        }
    }
}
