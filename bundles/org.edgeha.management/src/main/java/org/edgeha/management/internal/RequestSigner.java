package org.edgeha.management.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs management requests ({@link ManagementRequest}), for operators and tests. Needs only the JDK, so it runs
 * straight from the bundle's jar:
 *
 * <pre>
 * java -cp org.edgeha.management-0.1.0-SNAPSHOT.jar org.edgeha.management.internal.RequestSigner \
 *     --key ops.pem --key-id ops --op install --kind bundle --name my.bundle --target all --file my-bundle.jar
 * </pre>
 *
 * prints the {@code -D publish user-property k v} arguments for {@code mosquitto_pub} on one line.
 */
public final class RequestSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestSigner() {
    }

    /** Reads an Ed25519 private key in PEM PKCS#8 ({@code openssl genpkey -algorithm ed25519}). */
    public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The user properties of a signed request with a fresh nonce, issued now. */
    public static Map<String, String> sign(PrivateKey key, String keyId, String op, String kind, String name,
            String target, byte[] payload) throws GeneralSecurityException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return sign(key, keyId, op, kind, name, target, payload, HexFormat.of().formatHex(nonce), System.currentTimeMillis());
    }

    /** The user properties of a signed request. */
    public static Map<String, String> sign(PrivateKey key, String keyId, String op, String kind, String name,
            String target, byte[] payload, String nonce, long issuedAt) throws GeneralSecurityException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ManagementRequest.OP, op);
        p.put(ManagementRequest.KIND, kind);
        p.put(ManagementRequest.NAME, name);
        p.put(ManagementRequest.TARGET, target);
        p.put(ManagementRequest.SHA256, HexFormat.of().formatHex(RequestVerifier.sha256(payload)));
        p.put(ManagementRequest.NONCE, nonce);
        p.put(ManagementRequest.ISSUED_AT, Long.toString(issuedAt));
        p.put(ManagementRequest.KEY_ID, keyId);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(ManagementRequest.signedBytes(p, payload));
        p.put(ManagementRequest.SIGNATURE, Base64.getEncoder().encodeToString(signer.sign()));
        return p;
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !a.containsKey("key") || !a.containsKey("key-id") || !a.containsKey("op")) {
            usage();
        }
        byte[] payload = a.containsKey("file") ? Files.readAllBytes(Path.of(a.get("file"))) : new byte[0];
        PrivateKey key = readPrivateKey(Files.readString(Path.of(a.get("key")), StandardCharsets.US_ASCII));
        Map<String, String> p = sign(key, a.get("key-id"), a.get("op"), a.getOrDefault("kind", "bundle"),
                a.getOrDefault("name", "-"), a.getOrDefault("target", "all"), payload);
        StringBuilder out = new StringBuilder();
        p.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append("-D publish user-property ").append(k)
                .append(' ').append(v));
        System.out.println(out);
    }

    private static void usage() {
        System.err.println("usage: RequestSigner --key KEY.pem --key-id ID --op install|update|remove|list"
                + " [--kind bundle|feature] [--name NAME] [--target all|NODE] [--file ARTIFACT]");
        System.exit(2);
    }
}
