package org.edgeha.testing.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A private MQTT broker on a free loopback port, for tests that need a real broker they can stop, kill and
 * restart.
 *
 * <pre>{@code
 * try (BrokerFixture broker = BrokerFixture.start()) {
 *     client.connect(broker.uri());   // tcp://127.0.0.1:PORT
 *     broker.kill();                  // the broker dies without a goodbye
 *     broker.restart();               // same port again
 * }
 * }</pre>
 *
 * <h2>Which broker</h2>
 * Normally a private {@code mosquitto} process ({@code mosquitto} on PATH, else {@code /usr/sbin/mosquitto}),
 * with its config, log ({@link #logFile()}) and console output in a temp dir that {@link #close()} deletes.
 * Where no mosquitto exists, an embedded MQTT 5 broker is used instead (kind {@link Kind#EMBEDDED}), if
 * one is on the class path; otherwise {@link #start()} fails and says to install Debian's {@code mosquitto}.
 * <ul>
 * <li>Environment variable {@code CI=true}: always mosquitto; a missing binary is an error, never a fallback.
 * <li>System property {@code edgeha.test.broker=embedded} forces the embedded broker (to test the fallback on a
 * machine with mosquitto); {@code edgeha.test.broker=mosquitto} forces mosquitto.
 * </ul>
 *
 * <h2>Embedded fallback</h2>
 * The embedded broker is a service found with {@code ServiceLoader.load(java.util.function.IntFunction.class)}:
 * a public class in a package under {@code org.edgeha.testing.broker}, listed in
 * {@code META-INF/services/java.util.function.IntFunction}, whose {@code apply(port)} starts an MQTT 5
 * broker on 127.0.0.1:port and returns an {@link AutoCloseable} whose {@code close()} stops it and returns once
 * the port is free. The JDK type keeps the provider module free of a dependency on this one (this module
 * depends on it in profile {@code embedded-broker}; the reverse edge would be a reactor cycle). Module
 * {@code itests/broker-hivemq} provides one with HiveMQ CE. An embedded broker has no process: {@link #kill()}
 * stops it, {@link #pid()} and {@link #logFile()} are empty, and extra mosquitto.conf lines are refused.
 *
 * <h2>Threads</h2>
 * Thread-safe: every method may be called from any thread, e.g. a fault-injecting thread calling
 * {@link #kill()} and {@link #restart()} while the test thread publishes. State changes are serialised on this
 * object's monitor, so a {@code kill()} issued during a {@code restart()} runs after the restart has finished.
 * {@link #uri()}, {@link #port()} and {@link #kind()} never change.
 */
public final class BrokerFixture implements AutoCloseable {

    /** The broker implementation behind a fixture. */
    public enum Kind {
        /** A private {@code mosquitto} process. */
        MOSQUITTO,
        /** An MQTT 5 broker inside the test JVM (fallback where mosquitto is missing). */
        EMBEDDED
    }

    /** System property that chooses the broker: {@code embedded}, {@code mosquitto}, or unset for automatic. */
    public static final String BROKER_PROPERTY = "edgeha.test.broker";

    private static final String INSTALL_HINT = "install Debian's mosquitto package (apt-get install mosquitto)";
    // Free ports chosen for a first start can be taken by someone else before the broker binds them.
    private static final int START_ATTEMPTS = 3;

    private final Backend backend;
    private final Path dir;
    private final int port;
    private final boolean tls;
    private final Duration timeout;
    private final Thread shutdownHook;
    private boolean closed;

    private BrokerFixture(Backend backend, Path dir, int port, boolean tls, Duration timeout) {
        this.backend = backend;
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.timeout = timeout;
        // A test JVM that exits without close() would otherwise leave a mosquitto process listening.
        // (An embedded broker dies with the JVM.) MosquittoBackend.kill() is safe without our lock.
        this.shutdownHook = new Thread(() -> {
            if (backend.kind() == Kind.MOSQUITTO) {
                backend.kill();
            }
            deleteTree(dir);
        }, "broker-fixture-cleanup-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker with the default settings; see {@link Builder#start()}. */
    public static BrokerFixture start() {
        return builder().start();
    }

    /** Options for a broker: TLS for its listener, extra mosquitto.conf lines, start timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The kind {@link #start()} would use here, e.g. to skip a test that needs mosquitto-only config. */
    public static Kind selectedKind() {
        return selectKind();
    }

    /** {@code tcp://127.0.0.1:PORT}, or {@code ssl://127.0.0.1:PORT} with {@link Builder#tls}. */
    public String uri() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** The loopback port; the same after {@link #restart()}. */
    public int port() {
        return port;
    }

    /** Mosquitto, or the embedded fallback; see the class comment for how it is chosen. */
    public Kind kind() {
        return backend.kind();
    }

    /** True while the broker process (or embedded broker) is up; false after stop, kill or a crash. */
    public synchronized boolean isRunning() {
        return backend.isRunning();
    }

    /** The mosquitto process id of the current run, e.g. to check it is gone after {@link #kill()}. */
    public synchronized OptionalLong pid() {
        return backend.pid();
    }

    /** The mosquitto log (appended across restarts); empty for the embedded broker. Gone after close(). */
    public Optional<Path> logFile() {
        return backend.logFile();
    }

    /** Graceful stop (SIGTERM); returns once the broker has exited. No-op when not running. */
    public synchronized void stop() {
        backend.stop();
    }

    /** Abrupt stop (SIGKILL: no DISCONNECT, no will delay); returns once the process is gone. */
    public synchronized void kill() {
        backend.kill();
    }

    /**
     * Starts the broker again on the same port (stopping it first if running) and returns once it accepts
     * connections. Waits, up to the start timeout, for the port to be free, e.g. while an old process exits.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("broker fixture is closed");
        }
        backend.stop();
        long deadline = deadline(timeout);
        while (!tryStart(backend, port, deadline)) {
            if (!Ports.await(() -> Ports.isBindable(port), deadline)) {
                throw new IllegalStateException("cannot restart broker: port " + port + " still in use after "
                        + timeout + backend.diagnostics());
            }
        }
    }

    /** Stops the broker and deletes its temp dir. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            backend.stop();
        } finally {
            deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway and finds nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return "BrokerFixture[" + kind() + " " + uri() + "]";
    }

    /** Options for {@link BrokerFixture}. */
    public static final class Builder {
        private final List<String> configLines = new ArrayList<>();
        private final List<String> tlsLines = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** Appends a line to mosquitto.conf (after the fixture's own lines). Refused by the embedded broker. */
        public Builder configLine(String line) {
            configLines.add(line);
            return this;
        }

        /**
         * Makes the fixture's listener TLS-only (mosquitto {@code cafile}, {@code certfile}, {@code keyfile} for it;
         * with {@code requireClientCertificate} also {@code require_certificate true}, so clients without a
         * certificate signed by that CA are refused). {@link BrokerFixture#uri()} then says {@code ssl://}. The
         * lines go right after the fixture's listener, before any {@link #configLine}, so they apply to it even if
         * a config line opens another listener. Refused by the embedded broker.
         */
        public Builder tls(Path caFile, Path certFile, Path keyFile, boolean requireClientCertificate) {
            tlsLines.clear();
            tlsLines.add("cafile " + caFile.toAbsolutePath());
            tlsLines.add("certfile " + certFile.toAbsolutePath());
            tlsLines.add("keyfile " + keyFile.toAbsolutePath());
            if (requireClientCertificate) {
                tlsLines.add("require_certificate true");
            }
            return this;
        }

        /** How long start and restart may take before failing (default 20 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Starts the broker on a free loopback port and returns once it accepts TCP connections.
         *
         * @throws IllegalStateException if no broker is available or it does not come up in time; the message
         *                               holds the tail of the broker log
         */
        public BrokerFixture start() {
            Path dir = createTempDir();
            try {
                Kind kind = selectKind();
                if (kind == Kind.EMBEDDED && !tlsLines.isEmpty()) {
                    throw new IllegalStateException("the embedded broker has no TLS listener (tls(...) is mosquitto "
                            + "only): " + INSTALL_HINT);
                }
                List<String> lines = new ArrayList<>(tlsLines);
                lines.addAll(configLines);
                Backend backend = createBackend(kind, lines, dir);
                long deadline = deadline(timeout);
                for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                    int port = Ports.freePort();
                    if (tryStart(backend, port, deadline)) {
                        return new BrokerFixture(backend, dir, port, !tlsLines.isEmpty(), timeout);
                    }
                }
                throw new IllegalStateException("broker could not bind a free port in " + START_ATTEMPTS
                        + " attempts" + backend.diagnostics());
            } catch (RuntimeException | Error e) {
                deleteTree(dir);
                throw e;
            }
        }
    }

    /** Applies the selection rules in the class comment; fails with the reason when nothing fits. */
    private static Kind selectKind() {
        String wanted = System.getProperty(BROKER_PROPERTY, "").trim();
        boolean ci = "true".equals(System.getenv("CI"));
        boolean haveMosquitto = MosquittoBackend.findBinary().isPresent();
        if (!List.of("", "embedded", "mosquitto").contains(wanted)) {
            throw new IllegalStateException("unknown " + BROKER_PROPERTY + "=" + wanted + " (embedded or mosquitto)");
        }
        if (ci && wanted.equals("embedded")) {
            throw new IllegalStateException(BROKER_PROPERTY + "=embedded is not allowed with CI=true: "
                    + "CI runs its tests against real Mosquitto only");
        }
        if (ci || wanted.equals("mosquitto")) {
            if (!haveMosquitto) {
                throw new IllegalStateException("no mosquitto binary (PATH, /usr/sbin/mosquitto), and "
                        + (ci ? "CI=true" : BROKER_PROPERTY + "=mosquitto") + " forbids the embedded fallback: "
                        + INSTALL_HINT);
            }
            return Kind.MOSQUITTO;
        }
        if (wanted.isEmpty() && haveMosquitto) {
            return Kind.MOSQUITTO;
        }
        if (EmbeddedBackend.find().isEmpty()) {
            throw new IllegalStateException(wanted.isEmpty()
                    ? "no MQTT broker for tests: no mosquitto binary (PATH, /usr/sbin/mosquitto) and no embedded "
                            + "broker on the class path; " + INSTALL_HINT + ", or build with -Pembedded-broker"
                    : BROKER_PROPERTY + "=embedded, but no embedded broker is on the test class path: "
                            + "build with -Pembedded-broker");
        }
        return Kind.EMBEDDED;
    }

    private static Backend createBackend(Kind kind, List<String> configLines, Path dir) {
        if (kind == Kind.MOSQUITTO) {
            return new MosquittoBackend(MosquittoBackend.findBinary().orElseThrow(), dir, configLines);
        }
        if (!configLines.isEmpty()) {
            // Silently dropping e.g. a TLS listener would make the test fail somewhere far less obvious.
            throw new IllegalStateException("the embedded broker cannot apply mosquitto.conf lines "
                    + configLines + ": " + INSTALL_HINT);
        }
        return EmbeddedBackend.find().orElseThrow();
    }

    /**
     * Launches on {@code port} and waits until it accepts connections. False when the port turned out to be
     * taken by someone else (the caller picks another or waits); throws on any other failure.
     */
    private static boolean tryStart(Backend backend, int port, long deadline) {
        // Someone listening already would make the readiness check below pass for the wrong broker.
        if (!Ports.isBindable(port)) {
            return false;
        }
        try {
            backend.launch(port);
        } catch (RuntimeException e) {
            if (!Ports.isBindable(port)) {
                return false;
            }
            throw new IllegalStateException("broker " + backend.kind() + " failed to start on port " + port
                    + backend.diagnostics(), e);
        }
        // Connectable, or dead: a dead broker's log says why (often "Address already in use").
        if (!Ports.await(() -> Ports.isConnectable(port) || !backend.isRunning(), deadline)) {
            backend.kill();
            throw new IllegalStateException("broker " + backend.kind() + " did not accept connections on port "
                    + port + " in time" + backend.diagnostics());
        }
        if (backend.isRunning()) {
            return true;
        }
        if (!Ports.isBindable(port)) {
            return false;
        }
        throw new IllegalStateException("broker " + backend.kind() + " exited during start on port " + port
                + backend.diagnostics());
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("edgeha-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir must not fail a test
        }
    }
}
