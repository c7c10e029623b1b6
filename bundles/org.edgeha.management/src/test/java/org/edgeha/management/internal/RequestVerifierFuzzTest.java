package org.edgeha.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.edgeha.management.signing.ManagementRequest;
import org.edgeha.management.signing.RequestSigner;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Management requests from the broker (user properties and payload), the trusted keys setting and the replies. The
 * last input byte picks the check:
 * <ul>
 * <li>0: any properties, payload and target. {@link RequestVerifier#verify} returns a verified request or throws
 * {@link RequestVerifier.Rejected} (counted and answered), never anything else, and verifies nothing it did not sign
 * here.</li>
 * <li>1: a request signed here with the trusted key from fuzzed fields, verified at a fuzzed time, maybe changed in
 * one property or the payload after signing: it is accepted exactly when a model of the rules says so (fields well
 * formed, target right, issued within the allowed skew computed without overflow, nonce fresh); a second delivery
 * is refused as replayed.</li>
 * <li>2: a {@code trusted.keys} setting: parsed or {@link IllegalArgumentException}.</li>
 * <li>3: a reply with any op and message is one JSON object giving them back.</li>
 * </ul>
 */
class RequestVerifierFuzzTest {

    private static final long SKEW_S = 300;
    private static final KeyPair KEY = key();
    private static final String TRUSTED = "ops=" + Base64.getEncoder().encodeToString(KEY.getPublic().getEncoded());
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    private static final Pattern TARGET = Pattern.compile("all|[1-9][0-9]{0,9}");
    private static final List<String> NAMES = List.of(ManagementRequest.OP, ManagementRequest.KIND, ManagementRequest.NAME,
            ManagementRequest.TARGET, ManagementRequest.SHA256, ManagementRequest.NONCE, ManagementRequest.ISSUED_AT,
            ManagementRequest.KEY_ID, ManagementRequest.SIGNATURE);

    /** A fixed key, so that the committed inputs mean the same at every run. */
    private static KeyPair key() {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(20261201L);
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, seeded);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void verify(FuzzedDataProvider data) throws Exception {
        switch (data.consumeInt(0, 3)) {
            case 0 -> anything(data);
            case 1 -> signed(data);
            case 2 -> trustedKeys(data);
            default -> reply(data);
        }
    }

    private static void anything(FuzzedDataProvider data) {
        RequestVerifier verifier = new RequestVerifier(new String[] {TRUSTED}, SKEW_S, 4096);
        Map<String, String> properties = new HashMap<>();
        for (int i = data.consumeInt(0, 10); i > 0; i--) {
            properties.put(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(12), data.consumeString(80));
        }
        String target = data.consumeBoolean() ? "all" : data.consumeString(11);
        long now = data.consumeLong();
        byte[] payload = data.consumeRemainingAsBytes();
        try {
            verifier.verify(properties, payload, target, now);
            fail("verified a request nobody signed: " + properties);
        } catch (RequestVerifier.Rejected refused) {
            // counted and answered
        }
    }

    private static void signed(FuzzedDataProvider data) throws Exception {
        RequestVerifier verifier = new RequestVerifier(new String[] {TRUSTED}, SKEW_S, 4096);
        String op = data.consumeBoolean() ? data.pickValue(ManagementRequest.OPS.stream().sorted().toList()) : data.consumeString(8);
        String kind = data.consumeBoolean() ? data.pickValue(List.of("bundle", "feature")) : data.consumeString(8);
        String name = data.consumeBoolean() ? "my.bundle" : data.consumeString(300);
        String target = data.consumeBoolean() ? "all" : data.consumeBoolean() ? "7" : data.consumeString(11);
        String publishedTo = data.consumeInt(0, 7) == 0 ? data.consumeString(11) : target;
        String nonce = data.consumeBoolean() ? "nonce-" + data.consumeInt(100, 999) : data.consumeString(130);
        long issuedAt = data.consumeLong();
        long now = switch (data.consumeInt(0, 2)) {
            case 0 -> issuedAt + data.consumeLong(-SKEW_S * 1000 - 2, SKEW_S * 1000 + 2);
            case 1 -> issuedAt ^ Long.MIN_VALUE; // the farthest possible time
            default -> data.consumeLong();
        };
        int tamper = data.consumeInt(0, 12);
        byte[] payload = data.consumeRemainingAsBytes();
        Map<String, String> p = new HashMap<>(RequestSigner.sign(KEY.getPrivate(), "ops", op, kind, name, target,
                payload, nonce, issuedAt));
        if (tamper < NAMES.size() - 1 && tamper != 7) { // change one signed property (not the key id: unknown key)
            String k = NAMES.get(tamper);
            p.put(k, p.get(k) + "x");
        } else if (tamper == NAMES.size() - 1 && payload.length > 0) {
            payload[0] ^= 1;
        } else {
            tamper = -1;
        }
        boolean ok = tamper < 0 && ManagementRequest.OPS.contains(op) && ManagementRequest.KINDS.contains(kind)
                && !name.isEmpty() && name.length() <= 256 && name.chars().noneMatch(c -> c <= ' ')
                && NONCE.matcher(nonce).matches() && TARGET.matcher(target).matches() && target.equals(publishedTo)
                && BigInteger.valueOf(now).subtract(BigInteger.valueOf(issuedAt)).abs()
                        .compareTo(BigInteger.valueOf(SKEW_S * 1000)) <= 0;
        try {
            RequestVerifier.Verified v = verifier.verify(p, payload, publishedTo, now);
            if (!ok) {
                fail("accepted " + p + " at " + now);
            }
            assertEquals(op, v.op());
            assertEquals(name, v.name());
            RequestVerifier.Rejected again = assertThrows(RequestVerifier.Rejected.class,
                    () -> verifier.verify(p, v.payload(), publishedTo, now));
            assertEquals("replayed", again.reason);
        } catch (RequestVerifier.Rejected refused) {
            if (ok) {
                fail("refused a good request (" + refused.reason + "): " + refused.getMessage());
            }
        }
    }

    private static void trustedKeys(FuzzedDataProvider data) {
        String[] entries = new String[data.consumeInt(0, 3)];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = data.consumeBoolean() ? TRUSTED + (data.consumeBoolean() ? "," + data.consumeString(20) : "")
                    : data.consumeString(120);
        }
        try {
            new RequestVerifier(entries, data.consumeLong(), data.consumeInt());
        } catch (IllegalArgumentException refused) {
            // the component does not start and says which entry is wrong
        }
    }

    private static void reply(FuzzedDataProvider data) {
        int node = data.consumeInt();
        boolean ok = data.consumeBoolean();
        String op = data.consumeString(20);
        String message = data.consumeRemainingAsString();
        JsonObject o;
        try (var reader = Json.createReader(new StringReader(Replies.json(node, op, ok, message)))) {
            o = reader.readObject();
        }
        assertEquals("edgeha.manage-reply/1", o.getString("schema"));
        assertTrue(o.getJsonNumber("ts").longValueExact() > 0);
        assertEquals(node, o.getInt("node"));
        assertEquals(wellFormed(op), o.getString("op"));
        assertEquals(ok, o.getBoolean("ok"));
        assertEquals(wellFormed(message), o.getString("message"));
    }

    /** What survives UTF-8 (a lone surrogate becomes '?'). */
    private static String wellFormed(String s) {
        return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
    }
}
