package org.edgeha.management.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs management requests ({@link ManagementRequest}) and makes and reads the keys, JDK only. Operators use it
 * through the gateway jar's command ({@code java -jar edgeha-gateway.jar sign --help}); tests call it directly.
 * Stateless and thread-safe; nothing here blocks on anything but the JDK's random source.
 */
public final class RequestSigner {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private RequestSigner() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /**
     * The private key as PEM PKCS#8, the form {@code openssl genpkey -algorithm ed25519} writes and
     * {@link #readPrivateKey} reads.
     */
    public static String privateKeyPem(PrivateKey key) {
        return PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded()) + "\n"
                + PEM_END + "\n";
    }

    /**
     * Reads an Ed25519 private key in PEM PKCS#8 ({@link #privateKeyPem}, {@code openssl genpkey -algorithm ed25519}).
     *
     * @throws GeneralSecurityException if the text is not such a key (also for bad base64)
     */
    public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        if (!pem.contains(PEM_BEGIN) || !pem.contains(PEM_END)) {
            throw new GeneralSecurityException("not a PEM private key (no " + PEM_BEGIN + " line)");
        }
        String base64 = pem.substring(pem.indexOf(PEM_BEGIN) + PEM_BEGIN.length(), pem.indexOf(PEM_END))
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the PEM private key is not base64: " + e.getMessage());
        }
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * One entry of the gateway's {@code trusted.keys} setting for this public key: {@code keyId=base64 X.509
     * SubjectPublicKeyInfo}, as {@code openssl pkey -pubout -outform DER | base64 -w0} prints it.
     *
     * @throws IllegalArgumentException if {@code keyId} cannot name a key there ({@link ManagementRequest#isKeyId})
     */
    public static String trustedKeyEntry(String keyId, PublicKey key) {
        if (!ManagementRequest.isKeyId(keyId)) {
            throw new IllegalArgumentException("key id '" + keyId + "' must be 1 to 64 characters without spaces, ',' or '='");
        }
        return keyId + "=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The user properties of a signed request with a fresh random nonce, issued now. */
    public static Map<String, String> sign(PrivateKey key, String keyId, String op, String kind, String name,
            String target, byte[] payload) throws GeneralSecurityException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return sign(key, keyId, op, kind, name, target, payload, HexFormat.of().formatHex(nonce), System.currentTimeMillis());
    }

    /**
     * The user properties of a signed request, in the order of {@link ManagementRequest}'s list, the signature last.
     * The fields are signed as given, not checked: a test may sign a malformed request on purpose.
     */
    public static Map<String, String> sign(PrivateKey key, String keyId, String op, String kind, String name,
            String target, byte[] payload, String nonce, long issuedAt) throws GeneralSecurityException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ManagementRequest.OP, op);
        p.put(ManagementRequest.KIND, kind);
        p.put(ManagementRequest.NAME, name);
        p.put(ManagementRequest.TARGET, target);
        p.put(ManagementRequest.SHA256, ManagementRequest.sha256Hex(payload));
        p.put(ManagementRequest.NONCE, nonce);
        p.put(ManagementRequest.ISSUED_AT, Long.toString(issuedAt));
        p.put(ManagementRequest.KEY_ID, keyId);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(ManagementRequest.signedBytes(p, payload));
        p.put(ManagementRequest.SIGNATURE, Base64.getEncoder().encodeToString(signer.sign()));
        return p;
    }
}
