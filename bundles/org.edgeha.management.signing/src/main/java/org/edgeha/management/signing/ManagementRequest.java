package org.edgeha.management.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The wire format of a management request, shared by the gateway (which verifies) and the signer: the one
 * implementation of the field names, their formats and the signed bytes.
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
 * the payload. Stateless and thread-safe.
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

    /** The longest {@code name}. */
    public static final int MAX_NAME_LENGTH = 256;

    private static final Pattern NONCE_FORMAT = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    private static final Pattern TARGET_FORMAT = Pattern.compile("all|[1-9][0-9]{0,9}");

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

    /** The {@code sha256} field of a payload: lower-case hex. */
    public static String sha256Hex(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return whether {@code target} is {@code all} or a node number (1 to 9,999,999,999) */
    public static boolean isTarget(String target) {
        return target != null && TARGET_FORMAT.matcher(target).matches();
    }

    /** @return whether {@code name} is 1 to {@value #MAX_NAME_LENGTH} characters, none of them a space or control */
    public static boolean isName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && name.chars().noneMatch(c -> c <= ' ');
    }

    /**
     * @return whether {@code keyId} can name a key in {@code trusted.keys} ({@code keyId=base64}, comma-separated,
     *     trimmed): 1 to 64 characters, no space, control character, {@code ,} or {@code =}
     */
    public static boolean isKeyId(String keyId) {
        return keyId != null && !keyId.isEmpty() && keyId.length() <= 64
                && keyId.chars().noneMatch(c -> c <= ' ' || c == ',' || c == '=' || c == 0x7f);
    }

    /** @return whether {@code nonce} is 8 to 128 characters {@code [A-Za-z0-9_-]} */
    public static boolean isNonce(String nonce) {
        return nonce != null && NONCE_FORMAT.matcher(nonce).matches();
    }
}
