package org.edgeha.management.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.edgeha.management.signing.ManagementRequest;

/**
 * Checks a management request strictly ({@link ManagementRequest}, whose formats and signed bytes it uses, the same
 * code the operators' signer uses): size, format, trusted key, payload hash, Ed25519 signature, clock skew and nonce
 * replay. Thread-safe.
 */
final class RequestVerifier {

    /** A request that passed every check. */
    record Verified(String op, String kind, String name, String keyId, String nonce, byte[] payload) {
    }

    /** Why a request was refused: {@code reason} is a short word for counting, {@code message} says more. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;
        final String op;

        Rejected(String reason, String op, String message) {
            super(message);
            this.reason = reason;
            this.op = op;
        }
    }

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** The largest skew setting honoured, in seconds: about 100 years. */
    static final long MAX_SKEW_S = 100L * 366 * 24 * 3600;

    private final Map<String, PublicKey> keys;
    private final long skewMs;
    private final int maxBytes;
    /** nonce → issued-at of the requests accepted within the last two skew windows */
    private final Map<String, Long> nonces = new HashMap<>();

    /**
     * @param trustedKeys {@code keyId=base64 X.509 SubjectPublicKeyInfo} entries (Ed25519); an entry may hold several,
     *     comma-separated (a {@code .cfg} file's single string)
     * @throws IllegalArgumentException for an entry that is not such a key
     */
    RequestVerifier(String[] trustedKeys, long skewSeconds, int maxBytes) {
        Map<String, PublicKey> parsed = new LinkedHashMap<>();
        for (String e : java.util.Arrays.stream(trustedKeys).flatMap(k -> java.util.Arrays.stream(k.split(",")))
                .map(String::trim).toList()) {
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("trusted key '" + e + "' is not keyId=base64");
            }
            String id = e.substring(0, eq).trim();
            parsed.put(id, parseKey(id, e.substring(eq + 1).trim()));
        }
        this.keys = Map.copyOf(parsed);
        // at least 1 s; at most a bound far beyond any sensible skew, so that the arithmetic below cannot overflow
        this.skewMs = Math.min(Math.max(1, skewSeconds), MAX_SKEW_S) * 1000;
        this.maxBytes = maxBytes;
    }

    static PublicKey parseKey(String id, String base64) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted key '" + id + "' is not a base64 Ed25519 public key: " + e.getMessage());
        }
    }

    Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * @param target {@code all} or this node's number: the topic the request arrived on
     * @param nowMs the current time
     */
    Verified verify(Map<String, String> properties, byte[] payload, String target, long nowMs) throws Rejected {
        String op = properties.getOrDefault(ManagementRequest.OP, "?");
        if (payload.length > maxBytes) {
            throw new Rejected("oversized", op, "payload of " + payload.length + " bytes; the limit is " + maxBytes);
        }
        String signature = properties.get(ManagementRequest.SIGNATURE);
        if (signature == null || signature.isEmpty()) {
            throw new Rejected("unsigned", op, "no signature");
        }
        Set<String> unknown = new HashSet<>(properties.keySet());
        unknown.removeAll(ManagementRequest.SIGNED);
        unknown.remove(ManagementRequest.SIGNATURE);
        if (!unknown.isEmpty()) {
            throw new Rejected("malformed", op, "unknown properties " + new java.util.TreeSet<>(unknown));
        }
        for (String field : ManagementRequest.SIGNED) {
            if (!properties.containsKey(field)) {
                throw new Rejected("malformed", op, "missing property " + field);
            }
        }
        String keyId = properties.get(ManagementRequest.KEY_ID);
        PublicKey key = keys.get(keyId);
        if (key == null) {
            throw new Rejected("unknown-key", op, "key '" + keyId + "' is not trusted here");
        }
        String kind = properties.get(ManagementRequest.KIND);
        String name = properties.get(ManagementRequest.NAME);
        String nonce = properties.get(ManagementRequest.NONCE);
        String sha = properties.get(ManagementRequest.SHA256);
        long issuedAt;
        try {
            issuedAt = Long.parseLong(properties.get(ManagementRequest.ISSUED_AT));
        } catch (NumberFormatException e) {
            throw new Rejected("malformed", op, "issued-at is not a number of milliseconds");
        }
        if (!ManagementRequest.OPS.contains(op) || !ManagementRequest.KINDS.contains(kind) || !ManagementRequest.isNonce(nonce)
                || !HEX64.matcher(sha).matches() || !ManagementRequest.isTarget(properties.get(ManagementRequest.TARGET))
                || !ManagementRequest.isName(name)) {
            throw new Rejected("malformed", op, "bad op, kind, name, target, sha256 or nonce");
        }
        if (!sha.equals(ManagementRequest.sha256Hex(payload))) {
            throw new Rejected("tampered", op, "the payload does not match its sha256");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new Rejected("bad-signature", op, "the signature is not base64");
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(ManagementRequest.signedBytes(properties, payload));
            if (!verifier.verify(sig)) {
                throw new Rejected("bad-signature", op, "the signature does not verify with key '" + keyId + "'");
            }
        } catch (GeneralSecurityException e) {
            throw new Rejected("bad-signature", op, "the signature does not verify: " + e.getMessage());
        }
        // signed from here on: the target, the time and the nonce are the signer's
        if (!properties.get(ManagementRequest.TARGET).equals(target)) {
            throw new Rejected("wrong-target", op, "signed for target " + properties.get(ManagementRequest.TARGET)
                    + ", published to " + target);
        }
        if (!within(nowMs, issuedAt, skewMs)) {
            throw new Rejected("clock-skew", op, "issued at " + issuedAt + ", " + (nowMs - issuedAt)
                    + " ms from now; at most " + skewMs + " ms allowed");
        }
        synchronized (nonces) {
            nonces.values().removeIf(t -> !within(nowMs, t, 2 * skewMs));
            if (nonces.putIfAbsent(nonce, issuedAt) != null) {
                throw new Rejected("replayed", op, "nonce " + nonce + " was used already");
            }
        }
        return new Verified(op, kind, name, keyId, nonce, payload);
    }

    /**
     * @return whether {@code t} is at most {@code range} ms away from {@code now}. Not {@code Math.abs(now - t)}: the
     *     difference of two longs can overflow, and {@code Math.abs(Long.MIN_VALUE)} is negative, so a request issued
     *     2^63 ms away from now passed the skew check.
     */
    static boolean within(long now, long t, long range) {
        long difference;
        try {
            difference = Math.subtractExact(now, t);
        } catch (ArithmeticException overflow) {
            return false;
        }
        return difference >= -range && difference <= range;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
