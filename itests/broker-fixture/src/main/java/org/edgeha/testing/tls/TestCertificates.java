package org.edgeha.testing.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throw-away TLS material for tests, made with the JDK's {@code keytool} in a private (0700) temp dir:
 * <ul>
 * <li>a test CA ({@link #caCertPem()}),
 * <li>a server certificate for {@code 127.0.0.1} and {@code localhost} (CN and subjectAltName) signed by it, with its
 * key as unencrypted PKCS#8 PEM ({@link #serverCertPem()}, {@link #serverKeyPem()}): mosquitto's {@code cafile},
 * {@code certfile} and {@code keyfile},
 * <li>a client certificate ({@code CN=}{@value #CLIENT_NAME}) signed by the CA, in a PKCS12 key store with its chain
 * ({@link #keyStore()}),
 * <li>a PKCS12 trust store holding the CA ({@link #trustStore()}),
 * <li>a second, unrelated CA and a PKCS12 trust store holding only that one ({@link #untrustedTrustStore()}), for
 * "the broker's certificate is not trusted",
 * <li>a client certificate of the same name signed by that unrelated CA, in a PKCS12 key store with its chain
 * ({@link #foreignKeyStore()}), for "the client's certificate is not from the broker's CA".
 * </ul>
 * All stores share one random password ({@link #password()}). Certificates are RSA 2048 / SHA-256, valid from a day
 * ago (clock skew) for three days. Files are owner-only; {@link #close()} deletes the directory.
 *
 * <pre>{@code
 * try (TestCertificates certs = TestCertificates.create()) {
 *     BrokerFixture.builder().tls(certs.caCertPem(), certs.serverCertPem(), certs.serverKeyPem(), true).start();
 * }
 * }</pre>
 *
 * No dependencies beyond the JDK; fails with {@link IllegalStateException} naming the keytool command and its
 * output when keytool is missing or fails.
 */
public final class TestCertificates implements AutoCloseable {

    /** The client certificate's common name (what mosquitto's {@code use_identity_as_username} makes the user name). */
    public static final String CLIENT_NAME = "edgeha-test-client";

    private static final String PASSWORD_ENV = "EDGEHA_TEST_STOREPASS";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String VALIDITY_DAYS = "3";
    private static final String START = "-1d";

    private final Path dir;
    private final String password;
    private final Path keytool;

    private TestCertificates(Path dir, String password, Path keytool) {
        this.dir = dir;
        this.password = password;
        this.keytool = keytool;
    }

    /** Makes everything in a new temp dir; see the class comment. */
    public static TestCertificates create() {
        Path dir;
        try {
            dir = isPosix()
                    ? Files.createTempDirectory("edgeha-tls-", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory("edgeha-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for test certificates", e);
        }
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        TestCertificates certs = new TestCertificates(dir, HexFormat.of().formatHex(secret), findKeytool());
        try {
            certs.generate();
            return certs;
        } catch (RuntimeException | Error e) {
            certs.close();
            throw e;
        }
    }

    // ---- what tests use --------------------------------------------------------------------------------

    /** The private directory holding everything. */
    public Path dir() {
        return dir;
    }

    /** The test CA's certificate, PEM (mosquitto {@code cafile}). */
    public Path caCertPem() {
        return dir.resolve("ca.pem");
    }

    /** The server certificate for 127.0.0.1 / localhost, PEM (mosquitto {@code certfile}). */
    public Path serverCertPem() {
        return dir.resolve("server.pem");
    }

    /** The server's private key, unencrypted PKCS#8 PEM (mosquitto {@code keyfile}). */
    public Path serverKeyPem() {
        return dir.resolve("server.key");
    }

    /** PKCS12 trust store with the test CA (the gateway's {@code tls.truststore}). */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** PKCS12 key store with the client key and its chain (the gateway's {@code tls.keystore}). */
    public Path keyStore() {
        return dir.resolve("client-keystore.p12");
    }

    /** PKCS12 trust store with only the unrelated CA: the broker's certificate is not trusted through it. */
    public Path untrustedTrustStore() {
        return dir.resolve("untrusted-truststore.p12");
    }

    /** PKCS12 key store with a client key whose certificate the unrelated CA signed: a broker of the test CA refuses it. */
    public Path foreignKeyStore() {
        return dir.resolve("foreign-client-keystore.p12");
    }

    /** The unrelated CA's certificate, PEM. */
    public Path untrustedCaCertPem() {
        return dir.resolve("untrusted-ca.pem");
    }

    /** The password of every store here (and of the keys in them). */
    public String password() {
        return password;
    }

    /** {@link #password()} for {@link #trustStore()}; a fresh copy. */
    public char[] trustStorePassword() {
        return password.toCharArray();
    }

    /** {@link #password()} for {@link #keyStore()} and its key; a fresh copy. */
    public char[] keyStorePassword() {
        return password.toCharArray();
    }

    /** {@link #password()} for {@link #untrustedTrustStore()}; a fresh copy. */
    public char[] untrustedTrustStorePassword() {
        return password.toCharArray();
    }

    /** Deletes the directory. Idempotent. */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir must not fail a test
        }
    }

    @Override
    public String toString() {
        return "TestCertificates[" + dir + "]";
    }

    // ---- making it ----------------------------------------------------------------------------------------

    private void generate() {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        Path untrusted = dir.resolve("untrusted-ca.p12");
        Path serverCsr = dir.resolve("server.csr");
        Path clientCsr = dir.resolve("client.csr");
        Path clientPem = dir.resolve("client.pem");
        Path foreign = dir.resolve("foreign-client.p12");
        Path foreignCsr = dir.resolve("foreign-client.csr");
        Path foreignPem = dir.resolve("foreign-client.pem");
        // Three rounds of independent keytool runs, each round in parallel (every run is a JVM start).
        keytoolAll(List.of(
                genCa(ca, "CN=EdgeHA Test CA, O=EdgeHA tests"),
                genCa(untrusted, "CN=EdgeHA Unrelated Test CA, O=Somebody else"),
                genKey(server, "server", "CN=127.0.0.1, O=EdgeHA tests"),
                genKey(client, "client", "CN=" + CLIENT_NAME + ", O=EdgeHA tests"),
                genKey(foreign, "client", "CN=" + CLIENT_NAME + ", O=Somebody else")));
        keytoolAll(List.of(
                List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caCertPem().toString()),
                List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", untrusted.toString(), "-file",
                        untrustedCaCertPem().toString()),
                List.of("-certreq", "-alias", "server", "-keystore", server.toString(), "-file", serverCsr.toString()),
                List.of("-certreq", "-alias", "client", "-keystore", client.toString(), "-file", clientCsr.toString()),
                List.of("-certreq", "-alias", "client", "-keystore", foreign.toString(), "-file", foreignCsr.toString())));
        keytoolAll(List.of(
                signWithCa(ca, serverCsr, serverCertPem(), "san=ip:127.0.0.1,dns:localhost",
                        "ku:c=digitalSignature,keyEncipherment", "eku=serverAuth"),
                signWithCa(ca, clientCsr, clientPem, "ku:c=digitalSignature,keyEncipherment", "eku=clientAuth"),
                signWithCa(untrusted, foreignCsr, foreignPem, "ku:c=digitalSignature,keyEncipherment", "eku=clientAuth")));
        try {
            Certificate caCert = readCertificate(caCertPem());
            writeTrustStore(trustStore(), caCert);
            writeTrustStore(untrustedTrustStore(), readCertificate(untrustedCaCertPem()));
            // The client entry gets its CA-signed certificate and the CA: a complete chain to present.
            KeyStore clientStore = load(client);
            Key clientKey = clientStore.getKey("client", password.toCharArray());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("client", clientKey, password.toCharArray(),
                    new Certificate[] { readCertificate(clientPem), caCert });
            store(keyStore, keyStore());
            KeyStore foreignStore = KeyStore.getInstance("PKCS12");
            foreignStore.load(null, null);
            foreignStore.setKeyEntry("client", load(foreign).getKey("client", password.toCharArray()),
                    password.toCharArray(), new Certificate[] { readCertificate(foreignPem),
                            readCertificate(untrustedCaCertPem()) });
            store(foreignStore, foreignKeyStore());
            writePrivateKeyPem(load(server).getKey("server", password.toCharArray()), serverKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot assemble test key stores in " + dir + ": " + e, e);
        }
        for (Path intermediate : List.of(serverCsr, clientCsr, foreignCsr)) {
            intermediate.toFile().delete();
        }
        ownerOnly();
    }

    private static List<String> genCa(Path store, String dname) {
        return List.of("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", dname, "-startdate", START, "-validity", VALIDITY_DAYS,
                "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign", "-keystore", store.toString());
    }

    private static List<String> genKey(Path store, String alias, String dname) {
        return List.of("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", dname, "-startdate", START, "-validity", VALIDITY_DAYS, "-keystore", store.toString());
    }

    private static List<String> signWithCa(Path caStore, Path csr, Path out, String... extensions) {
        List<String> args = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(),
                "-sigalg", "SHA256withRSA", "-infile", csr.toString(), "-outfile", out.toString(),
                "-startdate", START, "-validity", VALIDITY_DAYS));
        for (String extension : extensions) {
            args.add("-ext");
            args.add(extension);
        }
        return args;
    }

    /** Runs keytool once per argument list, all at the same time; fails naming the first run that failed. */
    private void keytoolAll(List<List<String>> runs) {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        try {
            for (List<String> run : runs) {
                List<String> command = new ArrayList<>();
                command.add(keytool.toString());
                command.addAll(run);
                // The password goes through the environment, never the command line (visible in ps).
                command.addAll(List.of("-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV, "-noprompt"));
                Path output = dir.resolve("keytool-" + commands.size() + ".log");
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().put(PASSWORD_ENV, password);
                commands.add(command);
                outputs.add(output);
                Process process = builder.start();
                process.getOutputStream().close(); // a prompt we did not expect reads end of input, not forever
                processes.add(process);
            }
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s: "
                            + String.join(" ", commands.get(i)));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): "
                            + String.join(" ", commands.get(i)) + "\n" + read(outputs.get(i)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        } finally {
            processes.forEach(Process::destroyForcibly); // no-op for those that finished
            outputs.forEach(o -> o.toFile().delete());
        }
    }

    private static Path findKeytool() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("no keytool at " + keytool + " (java.home " + System.getProperty("java.home")
                    + "): test certificates need a full JDK, not a stripped runtime image");
        }
        return keytool;
    }

    private KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private void writeTrustStore(Path file, Certificate ca) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        store(store, file);
    }

    private static Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void writePrivateKeyPem(Key key, Path file) throws IOException {
        if (key == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("server key is not PKCS#8 encodable: " + (key == null ? "missing" : key.getFormat()));
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private void ownerOnly() {
        if (!isPosix()) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make test certificates in " + dir + " owner-only", e);
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
