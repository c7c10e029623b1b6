package org.edgeha.gs.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A provider broadcast (GSAPI {@code ha_gs_provider_message_t}): opaque bytes, sent with
 * {@link GsClient#sendMessage} or carried by a {@link Vote}. Immutable; equal when the bytes are
 * equal. At most {@link GsLimits#MAX_MESSAGE_BYTES}, checked by the engine.
 */
public final class ProviderMessage {

    private final byte[] bytes;

    private ProviderMessage(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return a message holding a copy of {@code bytes} */
    public static ProviderMessage of(byte[] bytes) {
        return new ProviderMessage(StateValue.Printable.requireBytes(bytes).clone());
    }

    /** @return a message holding {@code text} as UTF-8 */
    public static ProviderMessage ofUtf8(String text) {
        return new ProviderMessage(text.getBytes(StandardCharsets.UTF_8));
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
        return o instanceof ProviderMessage m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return StateValue.Printable.describe(bytes);
    }
}
