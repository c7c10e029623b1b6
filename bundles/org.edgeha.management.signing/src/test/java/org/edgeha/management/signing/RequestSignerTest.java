package org.edgeha.management.signing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * The signer's keys and output. That the gateway accepts what it signs is checked against the verifier itself in
 * org.edgeha.management (RequestVerifierTest) and against real gateways in gateway-distro (RemoteDeployIT).
 */
public class RequestSignerTest {

    private static final byte[] JAR = "pretend this is a jar".getBytes(StandardCharsets.UTF_8);

    @Test
    public void aGeneratedKeyRoundTripsThroughPemAndItsTrustedEntryVerifiesTheSignature() throws Exception {
        KeyPair pair = RequestSigner.generateKeyPair();
        String pem = RequestSigner.privateKeyPem(pair.getPrivate());
        assertTrue(pem, pem.startsWith("-----BEGIN PRIVATE KEY-----\n") && pem.endsWith("-----END PRIVATE KEY-----\n"));
        assertTrue("lines of at most 64 characters: " + pem, pem.lines().allMatch(l -> l.length() <= 64));

        Map<String, String> p = RequestSigner.sign(RequestSigner.readPrivateKey(pem), "ops", "install", "bundle",
                "my.bundle", "all", JAR, "nonce-0001", 1_800_000_000_000L);
        assertEquals(List.of("op", "kind", "name", "target", "sha256", "nonce", "issued-at", "key-id", "signature"),
                List.copyOf(p.keySet()));
        assertEquals(ManagementRequest.sha256Hex(JAR), p.get("sha256"));

        String entry = RequestSigner.trustedKeyEntry("ops", pair.getPublic());
        assertTrue(entry, entry.startsWith("ops="));
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(entry.substring(4))));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(ManagementRequest.signedBytes(p, JAR));
        assertTrue(verifier.verify(Base64.getDecoder().decode(p.get("signature"))));
    }

    @Test
    public void theSignedBytesAreTheSortedFieldsThenThePayload() {
        Map<String, String> p = Map.of("op", "list", "kind", "bundle", "name", "-", "target", "2", "sha256", "00",
                "nonce", "nonce-0001", "issued-at", "5", "key-id", "ops", "signature", "ignored");
        assertEquals("issued-at=5\nkey-id=ops\nkind=bundle\nname=-\nnonce=nonce-0001\nop=list\nsha256=00\ntarget=2\nPAYLOAD",
                new String(ManagementRequest.signedBytes(p, "PAYLOAD".getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8));
    }

    @Test
    public void whatIsNotAPemPrivateKeyIsRefused() {
        for (String text : new String[] {"", "hello", "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}) {
            try {
                RequestSigner.readPrivateKey(text);
                fail("read a key from " + text);
            } catch (GeneralSecurityException expected) {
                // refused
            }
        }
    }

    @Test
    public void fieldFormats() {
        assertTrue(ManagementRequest.isTarget("all") && ManagementRequest.isTarget("7") && ManagementRequest.isTarget("9999999999"));
        assertFalse(ManagementRequest.isTarget("0") || ManagementRequest.isTarget("07") || ManagementRequest.isTarget("ALL")
                || ManagementRequest.isTarget(null) || ManagementRequest.isTarget("12345678901"));
        assertTrue(ManagementRequest.isName("-") && ManagementRequest.isName("org.example.bundle"));
        assertFalse(ManagementRequest.isName("") || ManagementRequest.isName("a b") || ManagementRequest.isName("x".repeat(257)));
        assertTrue(ManagementRequest.isKeyId("ops") && ManagementRequest.isKeyId("ops-2026.backup"));
        assertFalse(ManagementRequest.isKeyId("") || ManagementRequest.isKeyId("a,b") || ManagementRequest.isKeyId("a=b")
                || ManagementRequest.isKeyId("a b") || ManagementRequest.isKeyId("x".repeat(65)));
        try {
            RequestSigner.trustedKeyEntry("a,b", RequestSigner.generateKeyPair().getPublic());
            fail("an id the setting cannot hold");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("a,b"));
        }
    }
}
