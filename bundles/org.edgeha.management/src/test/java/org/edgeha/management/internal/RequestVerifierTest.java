package org.edgeha.management.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.edgeha.management.signing.ManagementRequest;
import org.edgeha.management.signing.RequestSigner;
import org.junit.Test;

/** The checks of a management request: good, unsigned, unknown key, bad signature, tampered, replay, skew, size. */
public class RequestVerifierTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final byte[] JAR = "pretend this is a jar".getBytes(StandardCharsets.UTF_8);

    private final KeyPair ops = generate();
    private final KeyPair other = generate();
    private final RequestVerifier verifier = new RequestVerifier(
            new String[] {"ops=" + Base64.getEncoder().encodeToString(ops.getPublic().getEncoded()), " "}, 300, 1024);

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, String> signed(KeyPair key, String keyId, String nonce, long issuedAt, byte[] payload) throws Exception {
        return new HashMap<>(RequestSigner.sign(key.getPrivate(), keyId, "install", "bundle", "my.bundle", "all", payload,
                nonce, issuedAt));
    }

    private void refused(String reason, Map<String, String> p, byte[] payload, String target, long now) {
        try {
            verifier.verify(p, payload, target, now);
            fail("accepted, expected " + reason);
        } catch (RequestVerifier.Rejected r) {
            assertEquals(r.getMessage(), reason, r.reason);
        }
    }

    @Test
    public void goodRequestPasses() throws Exception {
        RequestVerifier.Verified v = verifier.verify(signed(ops, "ops", "nonce-0001", NOW, JAR), JAR, "all", NOW + 1000);
        assertEquals("install", v.op());
        assertEquals("bundle", v.kind());
        assertEquals("my.bundle", v.name());
        assertArrayEquals(JAR, v.payload());
    }

    @Test
    public void unsigned() throws Exception {
        Map<String, String> p = signed(ops, "ops", "nonce-0002", NOW, JAR);
        p.remove(ManagementRequest.SIGNATURE);
        refused("unsigned", p, JAR, "all", NOW);
        refused("unsigned", Map.of(), JAR, "all", NOW);
    }

    @Test
    public void unknownKey() throws Exception {
        refused("unknown-key", signed(other, "other", "nonce-0003", NOW, JAR), JAR, "all", NOW);
    }

    @Test
    public void badSignature() throws Exception {
        // signed by another key under the trusted key's id
        refused("bad-signature", signed(other, "ops", "nonce-0004", NOW, JAR), JAR, "all", NOW);
        // a signed field changed after signing
        Map<String, String> p = signed(ops, "ops", "nonce-0005", NOW, JAR);
        p.put(ManagementRequest.NAME, "other.bundle");
        refused("bad-signature", p, JAR, "all", NOW);
        // payload and its hash both replaced
        byte[] evil = "evil".getBytes(StandardCharsets.UTF_8);
        Map<String, String> q = signed(ops, "ops", "nonce-0006", NOW, JAR);
        q.put(ManagementRequest.SHA256, ManagementRequest.sha256Hex(evil));
        refused("bad-signature", q, evil, "all", NOW);
        Map<String, String> r = signed(ops, "ops", "nonce-0007", NOW, JAR);
        r.put(ManagementRequest.SIGNATURE, "not base64 !");
        refused("bad-signature", r, JAR, "all", NOW);
    }

    @Test
    public void tamperedPayload() throws Exception {
        byte[] tampered = JAR.clone();
        tampered[3] ^= 1;
        refused("tampered", signed(ops, "ops", "nonce-0008", NOW, JAR), tampered, "all", NOW);
    }

    @Test
    public void replayedNonce() throws Exception {
        Map<String, String> p = signed(ops, "ops", "nonce-0009", NOW, JAR);
        verifier.verify(p, JAR, "all", NOW);
        refused("replayed", p, JAR, "all", NOW + 10);
        // a forged request cannot use up a nonce: the real one still passes after it
        Map<String, String> forged = signed(other, "ops", "nonce-0010", NOW, JAR);
        refused("bad-signature", forged, JAR, "all", NOW);
        verifier.verify(signed(ops, "ops", "nonce-0010", NOW, JAR), JAR, "all", NOW);
    }

    @Test
    public void clockSkew() throws Exception {
        refused("clock-skew", signed(ops, "ops", "nonce-0011", NOW - 301_000, JAR), JAR, "all", NOW);
        refused("clock-skew", signed(ops, "ops", "nonce-0012", NOW + 301_000, JAR), JAR, "all", NOW);
        verifier.verify(signed(ops, "ops", "nonce-0013", NOW - 299_000, JAR), JAR, "all", NOW);
    }

    @Test
    public void oversizedMalformedAndWrongTarget() throws Exception {
        byte[] big = new byte[1025];
        refused("oversized", signed(ops, "ops", "nonce-0014", NOW, big), big, "all", NOW);
        Map<String, String> extra = signed(ops, "ops", "nonce-0015", NOW, JAR);
        extra.put("debug", "1");
        refused("malformed", extra, JAR, "all", NOW);
        Map<String, String> missing = signed(ops, "ops", "nonce-0016", NOW, JAR);
        missing.remove(ManagementRequest.NONCE);
        refused("malformed", missing, JAR, "all", NOW);
        refused("malformed", new HashMap<>(RequestSigner.sign(ops.getPrivate(), "ops", "format", "bundle", "x", "all",
                JAR, "nonce-0017", NOW)), JAR, "all", NOW);
        refused("malformed", signed(ops, "ops", "short", NOW, JAR), JAR, "all", NOW);
        // signed for all, moved to node 3's topic (and the other way round)
        refused("wrong-target", signed(ops, "ops", "nonce-0018", NOW, JAR), JAR, "3", NOW);
    }

    @Test
    public void badTrustedKeyIsRefusedAtConfiguration() {
        try {
            new RequestVerifier(new String[] {"ops=AAAA"}, 300, 10);
            fail();
        } catch (IllegalArgumentException expected) {
            assertEquals(true, expected.getMessage().contains("ops"));
        }
    }

    @Test
    public void severalKeysInOneCfgString() throws Exception {
        RequestVerifier two = new RequestVerifier(new String[] {"a=" + Base64.getEncoder().encodeToString(
                other.getPublic().getEncoded()) + ", ops=" + Base64.getEncoder().encodeToString(ops.getPublic().getEncoded())},
                300, 1024);
        assertEquals(java.util.Set.of("a", "ops"), two.keyIds());
        two.verify(signed(ops, "ops", "nonce-0020", NOW, JAR), JAR, "all", NOW);
        two.verify(signed(other, "a", "nonce-0021", NOW, JAR), JAR, "all", NOW);
    }

    @Test
    public void replyIsJson() {
        long before = System.currentTimeMillis();
        String json = Replies.json(2, "install", false, "a \"b\"\n");
        long ts = Long.parseLong(json.replaceAll(".*\"ts\":([0-9]+),.*", "$1"));
        assertTrue(ts >= before && ts <= System.currentTimeMillis());
        assertEquals("{\"schema\":\"edgeha.manage-reply/1\",\"ts\":" + ts
                + ",\"node\":2,\"op\":\"install\",\"ok\":false,\"message\":\"a \\\"b\\\"\\n\"}", json);
    }

    @Test
    public void signerReadsOpensslPem() throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ops.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> p = RequestSigner.sign(RequestSigner.readPrivateKey(pem), "ops", "list", "bundle", "-", "all",
                new byte[0], "nonce-0019", NOW);
        assertEquals("list", verifier.verify(p, new byte[0], "all", NOW).op());
    }

    /** Found with RequestVerifierFuzzTest: |now - issuedAt| overflowed, and Math.abs(Long.MIN_VALUE) is negative. */
    @Test
    public void theFarthestTimeIsNoSkewOfZero() throws Exception {
        long issuedAt = NOW + Long.MIN_VALUE; // NOW - issuedAt == Long.MIN_VALUE
        refused("clock-skew", signed(ops, "ops", "nonce-far-away", issuedAt, JAR), JAR, "all", NOW);
        refused("clock-skew", signed(ops, "ops", "nonce-far-max", Long.MAX_VALUE, JAR), JAR, "all", -NOW);
    }
}
