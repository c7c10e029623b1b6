package org.edgeha.management.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The wire format of a management request, shared by the gateway and the signer.
 *
 * <p>The payload is the artifact (a bundle jar, a feature JSON; empty for {@code remove} and {@code list}). Everything
 * else is in MQTT 5 user properties, all of them required and no others allowed:
 * <ul>
 * <li>{@code op}: {@code install}, {@code update}, {@code remove} or {@code list}</li>
 * <li>{@code kind}: {@code bundle} or {@code feature}</li>
 * <li>{@code name}: the bundle's symbolic name or the feature id ({@code -} for {@code list}; a shell would expand {@code *}); no spaces</li>
 * <li>{@code target}: the node number or {@code all}, as in the topic it is published to</li>
 * <li>{@code sha256}: lower-case hex SHA-256 of the payload</li>
 * <li>{@code nonce}: 8 to 128 characters {@code [A-Za-z0-9_-]}, never reused</li>
 * <li>{@code issued-at}: milliseconds since the epoch</li>
 * <li>{@code key-id}: the name of the signing key in the gateway's {@code trusted.keys}</li>
 * <li>{@code signature}: base64 Ed25519 signature over {@link #signedBytes}</li>
 * </ul>
 * The signed bytes are the other eight properties as {@code key=value\n} lines sorted by key (UTF-8), followed by
 * the payload.
 */
public final class ManagementRequest {

    public static final String OP = "op";
    public static final String KIND = "kind";
    public static final String NAME = "name";
    public static final String TARGET = "target";
    public static final String SHA256 = "sha256";
    public static final String NONCE = "nonce";
    public static final String ISSUED_AT = "issued-at";
    public static final String KEY_ID = "key-id";
    public static final String SIGNATURE = "signature";

    /** The signed fields, in canonical (sorted) order. */
    public static final List<String> SIGNED = List.of(ISSUED_AT, KEY_ID, KIND, NAME, NONCE, OP, SHA256, TARGET);

    public static final Set<String> OPS = Set.of("install", "update", "remove", "list");
    public static final Set<String> KINDS = Set.of("bundle", "feature");

    private ManagementRequest() {
    }

    /** The bytes the signature covers: the signed fields as sorted {@code k=v} lines, then the payload. */
    public static byte[] signedBytes(Map<String, String> properties, byte[] payload) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(properties).forEach((k, v) -> {
            if (SIGNED.contains(k)) {
                canonical.append(k).append('=').append(v).append('\n');
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(canonical.length() + payload.length);
        out.writeBytes(canonical.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
