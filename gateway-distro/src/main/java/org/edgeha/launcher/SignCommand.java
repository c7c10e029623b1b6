package org.edgeha.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.edgeha.management.signing.ManagementRequest;
import org.edgeha.management.signing.RequestSigner;

/**
 * The operators' {@code sign} command of {@code edgeha-gateway.jar}: makes an Ed25519 key pair for remote deployment
 * ({@code sign keygen}) and signs management requests ({@code sign request}) with the same code the gateway's
 * management bundle verifies them with ({@link ManagementRequest}, {@link RequestSigner}).
 *
 * <p>{@link GatewayMain} hands over to it when {@code sign} is the first argument, before anything of the gateway
 * starts: no framework, no gateway home, no network. It runs on the caller's thread and blocks only on reading and
 * writing the files it is given. Bad input is one line on standard error and status {@value #EXIT_BAD_INPUT}; the
 * output of {@code sign request} is the only thing on standard output, so that a shell can splice it into a
 * {@code mosquitto_pub} command.
 */
final class SignCommand {

    /** The first argument of {@code edgeha-gateway.jar} that selects this command. */
    static final String NAME = "sign";

    static final int EXIT_OK = 0;
    static final int EXIT_BAD_INPUT = 2;
    /** The JDK cannot do what is asked (no Ed25519): not the operator's fault. */
    static final int EXIT_FAILED = 1;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final List<String> KEYGEN_OPTIONS = List.of("key", "key-id");
    private static final List<String> REQUEST_OPTIONS = List.of("key", "key-id", "op", "kind", "name", "target", "file");

    /** Bad input: its message is the whole line the operator sees. */
    static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    private SignCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code sign}
     * @param out what an operator keeps: the usage, the trusted key line, the signed properties
     * @param err one-line errors and notes
     * @return the exit status: {@value #EXIT_OK}, {@value #EXIT_BAD_INPUT} for bad input, {@value #EXIT_FAILED} if the
     *     JDK lacks Ed25519
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new BadInput("say what to do: sign keygen or sign request");
            }
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                usage(out);
                return EXIT_OK;
            }
            switch (args[0]) {
                case "keygen" -> keygen(options(args, KEYGEN_OPTIONS), out, err);
                case "request" -> request(options(args, REQUEST_OPTIONS), out);
                default -> throw new BadInput("unknown subcommand '" + args[0] + "': keygen or request");
            }
            return EXIT_OK;
        } catch (BadInput e) {
            err.println("edgeha sign: " + e.getMessage() + " (see: java -jar edgeha-gateway.jar sign --help)");
            return EXIT_BAD_INPUT;
        } catch (GeneralSecurityException | IllegalStateException e) {
            err.println("edgeha sign: this Java cannot sign with Ed25519: " + e);
            return EXIT_FAILED;
        }
    }

    /** {@code --option value} or {@code --option=value} pairs after the subcommand, each at most once. */
    static Map<String, String> options(String[] args, List<String> known) throws BadInput {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadInput("unexpected argument '" + arg + "': options look like --name value");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new BadInput("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!known.contains(name)) {
                throw new BadInput("unknown option --" + name + " for sign " + args[0] + ": --" + String.join(", --", known));
            }
            if (options.put(name, value) != null) {
                throw new BadInput("--" + name + " is given twice");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name, String what) throws BadInput {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new BadInput("--" + name + " " + what + " is required");
        }
        return value;
    }

    private static Path path(String option, String value) throws BadInput {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new BadInput("--" + option + " '" + value + "' is not a path: " + e.getMessage());
        }
    }

    private static String keyId(Map<String, String> options) throws BadInput {
        String keyId = required(options, "key-id", "ID (the key's name in the gateways' trusted.keys)");
        if (!ManagementRequest.isKeyId(keyId)) {
            throw new BadInput("--key-id '" + keyId + "' must be 1 to 64 characters without spaces, ',' or '='");
        }
        return keyId;
    }

    /**
     * Writes a new private key to {@code --key} (never over an existing file; owner-only {@code rw-------} from the
     * moment it exists, where the file system has POSIX permissions) and prints the {@code trusted.keys} line for the
     * public half.
     */
    private static void keygen(Map<String, String> options, PrintStream out, PrintStream err) throws BadInput {
        Path file = path("key", required(options, "key", "FILE (where the new private key goes)"));
        String keyId = keyId(options);
        KeyPair pair = RequestSigner.generateKeyPair();
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            throw new BadInput(file + " exists already; it is not overwritten (pick another --key, or move it away)");
        } catch (IOException | UnsupportedOperationException e) {
            throw new BadInput("cannot create " + file + ": " + e);
        }
        try {
            if (posix) {
                Files.setPosixFilePermissions(file, OWNER_ONLY); // whatever the umask took away, exactly rw-------
            }
            Files.writeString(file, RequestSigner.privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the message below names the file
            }
            throw new BadInput("cannot write " + file + ": " + e);
        }
        out.println("trusted.keys = " + RequestSigner.trustedKeyEntry(keyId, pair.getPublic()));
        err.println("edgeha sign: wrote the private key to " + file + (posix ? " (rw-------)" : "")
                + "; keep it off the gateways. The trusted.keys line on standard output goes into"
                + " etc/org.edgeha.management.cfg of every gateway (several keys: comma-separated entries).");
    }

    /** Prints the signed request's user properties as {@code mosquitto_pub} arguments, on one line. */
    private static void request(Map<String, String> options, PrintStream out) throws BadInput, GeneralSecurityException {
        Path keyFile = path("key", required(options, "key", "FILE (the private key, from sign keygen or openssl genpkey)"));
        String keyId = keyId(options);
        String op = required(options, "op", "install|update|remove|list");
        if (!ManagementRequest.OPS.contains(op)) {
            throw new BadInput("--op must be one of " + new TreeSet<>(ManagementRequest.OPS) + ", not '" + op + "'");
        }
        String kind = options.getOrDefault("kind", "bundle");
        if (!ManagementRequest.KINDS.contains(kind)) {
            throw new BadInput("--kind must be one of " + new TreeSet<>(ManagementRequest.KINDS) + ", not '" + kind + "'");
        }
        String target = required(options, "target", "all|NODE (the topic's last level but one)");
        if (!ManagementRequest.isTarget(target)) {
            throw new BadInput("--target must be all or a node number (1 or more), not '" + target + "'");
        }
        boolean carriesArtifact = op.equals("install") || op.equals("update");
        byte[] payload = new byte[0];
        String name = options.get("name");
        if (carriesArtifact) {
            Path artifact = path("file", required(options, "file", "ARTIFACT (the " + kind + " to " + op + ")"));
            try {
                payload = Files.readAllBytes(artifact);
            } catch (IOException e) {
                throw new BadInput("cannot read --file " + artifact + ": " + e);
            }
            if (kind.equals("bundle")) {
                String bsn = symbolicName(artifact, payload);
                if (name == null) {
                    name = bsn;
                } else if (!name.equals(bsn)) {
                    throw new BadInput("--name " + name + " is not the bundle's symbolic name " + bsn
                            + " (leave --name out to take the jar's)");
                }
            }
        } else if (options.containsKey("file")) {
            throw new BadInput(op + " carries no artifact: leave out --file (publish with mosquitto_pub -n)");
        }
        if (name == null) {
            if (!op.equals("list")) {
                throw new BadInput("--name NAME (the " + (kind.equals("bundle") ? "bundle's symbolic name" : "feature id")
                        + ") is required for " + op);
            }
            name = "-";
        }
        if (!ManagementRequest.isName(name)) {
            throw new BadInput("--name must be 1 to " + ManagementRequest.MAX_NAME_LENGTH
                    + " characters without spaces, not '" + name + "'");
        }
        PrivateKey key = privateKey(keyFile);
        Map<String, String> properties = RequestSigner.sign(key, keyId, op, kind, name, target, payload);
        StringBuilder line = new StringBuilder();
        properties.forEach((k, v) -> line.append(line.length() == 0 ? "" : " ").append("-D publish user-property ")
                .append(k).append(' ').append(v));
        out.println(line);
    }

    private static PrivateKey privateKey(Path file) throws BadInput {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BadInput("cannot read --key " + file + ": " + e);
        }
        try {
            return RequestSigner.readPrivateKey(pem);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BadInput("--key " + file + " is not an Ed25519 private key in PEM (PKCS#8): " + e.getMessage());
        }
    }

    /** The {@code Bundle-SymbolicName} of a bundle jar, without its directives. */
    private static String symbolicName(Path artifact, byte[] jar) throws BadInput {
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        } catch (IOException e) {
            manifest = null;
        }
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new BadInput("--file " + artifact + " is not a bundle jar (no Bundle-SymbolicName in its manifest)");
        }
        return bsn.split(";")[0].trim();
    }

    static void usage(PrintStream out) {
        out.println("""
                Usage: java -jar edgeha-gateway.jar sign keygen --key FILE --key-id ID
                       java -jar edgeha-gateway.jar sign request --key FILE --key-id ID --op OP --target all|NODE
                                [--kind bundle|feature] [--name NAME] [--file ARTIFACT]

                Signs remote deployment requests for the gateways' management bundle (README, "Deploy a bundle to a
                fleet"). Nothing of the gateway starts.

                sign keygen    writes a new Ed25519 private key to FILE (PEM PKCS#8, owner-only rw-------, never over
                               an existing file) and prints the public half as the trusted.keys line of
                               etc/org.edgeha.management.cfg (keys from openssl genpkey -algorithm ed25519 work too)
                  --key FILE     where the private key goes; keep it off the gateways
                  --key-id ID    the key's name in trusted.keys (no spaces, ',' or '=')

                sign request   prints the signed request's MQTT 5 user properties as mosquitto_pub arguments
                               (-D publish user-property k v ...) on one line; the artifact is the message payload
                  --key FILE     the private key;  --key-id ID  its name in the gateways' trusted.keys
                  --op OP        install, update (both install or update the bundle and start it), remove or list
                  --target T     all, or the node number of one gateway: the topic must match
                                 (edgeha/DOMAIN/manage/T/request), or the gateway refuses the request
                  --kind K       bundle (default) or feature (the payload is then a feature file)
                  --name NAME    the bundle's symbolic name (default for install and update: the jar's) or the
                                 feature id; - for list (the default)
                  --file FILE    the artifact, for install and update only (publish it with mosquitto_pub -f FILE;
                                 remove and list carry none: mosquitto_pub -n)

                Options also take the form --option=value. Bad input: one line on standard error, exit status 2.
                A signed request is good for max.clock.skew.s (default 300 s) and once only (its nonce).

                Example:
                  java -jar edgeha-gateway.jar sign keygen --key ops.pem --key-id ops > etc/org.edgeha.management.cfg
                  mosquitto_pub -V mqttv5 -q 1 -t edgeha/default/manage/all/request -f my-bundle.jar \\
                    -D publish response-topic ops/replies -D publish correlation-data deploy-1 \\
                    $(java -jar edgeha-gateway.jar sign request --key ops.pem --key-id ops --op install \\
                        --target all --file my-bundle.jar)""");
    }
}
