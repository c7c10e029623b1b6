package org.edgeha.launcher;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.edgeha.management.signing.ManagementRequest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The operators' {@code sign} command, called in this JVM: usage, key generation, signed output, one-line errors. The
 * real jar runs it in SignCommandIT; real gateways accept what it signs in RemoteDeployIT.
 */
public class SignCommandTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    record Run(int status, String out, String err) {
    }

    static Run sign(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SignCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The properties of a {@code sign request} line: {@code -D publish user-property k v ...}. */
    static Map<String, String> properties(String line) {
        String[] words = line.strip().split(" ");
        assertEquals(line, 0, words.length % 5);
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i += 5) {
            assertEquals(line, List.of("-D", "publish", "user-property"), List.of(words[i], words[i + 1], words[i + 2]));
            p.put(words[i + 3], words[i + 4]);
        }
        return p;
    }

    /** The public key of a {@code trusted.keys = id=base64} line. */
    static PublicKey trustedKey(String line, String keyId) throws Exception {
        String prefix = "trusted.keys = " + keyId + "=";
        assertTrue(line, line.startsWith(prefix));
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(line.strip().substring(prefix.length()))));
    }

    private Path keygen(String keyId) throws Exception {
        Path key = tmp.getRoot().toPath().resolve(keyId + ".pem");
        Run run = sign("keygen", "--key", key.toString(), "--key-id", keyId);
        assertEquals(run.toString(), 0, run.status());
        return key;
    }

    private static Path bundle(Path jar, String bsn) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    @Test
    public void helpPrintsTheUsageWithAnExample() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"keygen", "--help"}, {"request", "--key", "x", "--help"}}) {
            Run run = sign(args);
            assertEquals(run.toString(), 0, run.status());
            assertEquals("", run.err());
            assertTrue(run.out(), run.out().startsWith("Usage: java -jar edgeha-gateway.jar sign keygen"));
            assertTrue(run.out(), run.out().contains("sign request") && run.out().contains("Example:")
                    && run.out().contains("mosquitto_pub"));
        }
    }

    @Test
    public void keygenWritesAnOwnerOnlyPrivateKeyAndPrintsTheTrustedKeysLine() throws Exception {
        Path key = tmp.getRoot().toPath().resolve("ops.pem");
        Run run = sign("keygen", "--key", key.toString(), "--key-id", "ops");
        assertEquals(run.toString(), 0, run.status());
        assertEquals("one line on standard output: " + run.out(), 1, run.out().lines().count());
        PublicKey published = trustedKey(run.out(), "ops");
        assertTrue(run.err(), run.err().contains(key.toString()) && run.err().contains("org.edgeha.management.cfg"));
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));

        // the private key signs what the printed public key verifies
        Run list = sign("request", "--key", key.toString(), "--key-id", "ops", "--op", "list", "--target", "all");
        assertEquals(list.toString(), 0, list.status());
        Map<String, String> p = properties(list.out());
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(published);
        verifier.update(ManagementRequest.signedBytes(p, new byte[0]));
        assertTrue(verifier.verify(Base64.getDecoder().decode(p.get(ManagementRequest.SIGNATURE))));

        // never over an existing key
        byte[] before = Files.readAllBytes(key);
        Run again = sign("keygen", "--key", key.toString(), "--key-id", "ops");
        assertEquals(again.toString(), 2, again.status());
        assertTrue(again.err(), again.err().contains("exists already"));
        assertArrayEquals(before, Files.readAllBytes(key));
    }

    @Test
    public void aBundleRequestTakesItsNameFromTheJarAndSignsTheJar() throws Exception {
        Path key = keygen("ops");
        Path jar = bundle(tmp.getRoot().toPath().resolve("b.jar"), "org.example.b");
        Run run = sign("request", "--key=" + key, "--key-id=ops", "--op=install", "--target=3", "--file=" + jar);
        assertEquals(run.toString(), 0, run.status());
        assertEquals("", run.err());
        Map<String, String> p = properties(run.out());
        assertEquals(List.of("op", "kind", "name", "target", "sha256", "nonce", "issued-at", "key-id", "signature"),
                List.copyOf(p.keySet()));
        assertEquals("install", p.get("op"));
        assertEquals("bundle", p.get("kind"));
        assertEquals("org.example.b", p.get("name"));
        assertEquals("3", p.get("target"));
        assertEquals("ops", p.get("key-id"));
        assertEquals(ManagementRequest.sha256Hex(Files.readAllBytes(jar)), p.get("sha256"));
        assertTrue(Math.abs(System.currentTimeMillis() - Long.parseLong(p.get("issued-at"))) < 60_000);
        assertTrue(ManagementRequest.isNonce(p.get("nonce")));
        assertFalse("a fresh nonce each time", p.get("nonce").equals(properties(
                sign("request", "--key=" + key, "--key-id=ops", "--op=install", "--target=3", "--file=" + jar).out())
                .get("nonce")));
    }

    @Test
    public void badInputIsOneLineAndStatus2() throws Exception {
        Path key = keygen("ops");
        Path jar = bundle(tmp.getRoot().toPath().resolve("b.jar"), "org.example.b");
        Path notAJar = Files.writeString(tmp.getRoot().toPath().resolve("feature.json"), "{}");
        String k = key.toString();
        String[][] cases = {
            {},
            {"frobnicate"},
            {"keygen"},
            {"keygen", "--key", tmp.getRoot().toPath().resolve("new.pem").toString()},
            {"keygen", "--key", tmp.getRoot().toPath().resolve("new.pem").toString(), "--key-id", "a,b"},
            {"keygen", "--key", tmp.getRoot().toPath().resolve("no/such/folder/k.pem").toString(), "--key-id", "x"},
            {"request", "--key", k, "--key-id", "ops", "--op", "lsit", "--target", "all"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--target", "0"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--target", "all", "--kind", "module"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--target", "all", "--file", jar.toString()},
            {"request", "--key", k, "--key-id", "ops", "--op", "install", "--target", "all"},
            {"request", "--key", k, "--key-id", "ops", "--op", "install", "--target", "all", "--file", "missing.jar"},
            {"request", "--key", k, "--key-id", "ops", "--op", "install", "--target", "all", "--file", notAJar.toString()},
            {"request", "--key", k, "--key-id", "ops", "--op", "install", "--target", "all", "--file", jar.toString(),
                "--name", "org.example.other"},
            {"request", "--key", k, "--key-id", "ops", "--op", "remove", "--target", "all"},
            {"request", "--key", k, "--key-id", "ops", "--op", "remove", "--target", "all", "--name", "a b"},
            {"request", "--key", jar.toString(), "--key-id", "ops", "--op", "list", "--target", "all"},
            {"request", "--key", "missing.pem", "--key-id", "ops", "--op", "list", "--target", "all"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--target", "all", "--colour", "red"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--op", "list", "--target", "all"},
            {"request", "--key", k, "--key-id", "ops", "--op", "list", "--target"},
            {"request", "stray", "--key", k},
        };
        for (String[] args : cases) {
            Run run = sign(args);
            String what = List.of(args) + " -> " + run;
            assertEquals(what, 2, run.status());
            assertEquals(what, "", run.out());
            assertEquals("exactly one line: " + what, 1, run.err().lines().count());
            assertTrue(what, run.err().startsWith("edgeha sign: ") && run.err().strip().endsWith("sign --help)"));
            assertFalse("no stack trace: " + what, run.err().contains("\tat "));
        }
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("new.pem")));
    }
}
