package org.edgeha.testing.broker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code mosquitto} process with its config and logs in the fixture's temp dir. Called under the
 * fixture's lock, except {@link #kill()} from the JVM shutdown hook (hence the volatile process).
 */
final class MosquittoBackend implements Backend {

    private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Path binary;
    private final Path config;
    private final Path log;
    private final Path console;
    private final List<String> extraConfig;
    private volatile Process process;

    MosquittoBackend(Path binary, Path dir, List<String> extraConfig) {
        this.binary = binary;
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        this.console = dir.resolve("console.log");
        this.extraConfig = List.copyOf(extraConfig);
    }

    /** {@code mosquitto} on PATH, else Debian's {@code /usr/sbin/mosquitto} (sbin is often not on PATH). */
    static Optional<Path> findBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mosquitto"))) {
                return Optional.of(Path.of(dir, "mosquitto"));
            }
        }
        return Files.isExecutable(DEBIAN_BINARY) ? Optional.of(DEBIAN_BINARY) : Optional.empty();
    }

    @Override
    public BrokerFixture.Kind kind() {
        return BrokerFixture.Kind.MOSQUITTO;
    }

    @Override
    public void launch(int port) {
        List<String> lines = new ArrayList<>(List.of(
                // Run as ourselves: started as root, mosquitto switches to user "mosquitto",
                // which cannot write its log into our private (0700) temp dir.
                "user " + System.getProperty("user.name"),
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "set_tcp_nodelay true",
                "max_inflight_messages 1000",
                "max_queued_messages 100000",
                "log_dest file " + log,
                "log_timestamp_format %Y-%m-%dT%H:%M:%S"));
        lines.addAll(extraConfig);
        try {
            Files.write(config, lines, StandardCharsets.UTF_8);
            // Errors before the log file is open (bad config) only reach stderr: keep it in a file.
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    @Override
    public void stop() {
        Process p = process;
        if (p != null) {
            p.destroy(); // SIGTERM: mosquitto closes its sockets and exits
            if (!waitFor(p, STOP_TIMEOUT_SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly(); // SIGKILL on Linux
            waitFor(p, STOP_TIMEOUT_SECONDS);
        }
    }

    @Override
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public OptionalLong pid() {
        Process p = process;
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(log);
    }

    @Override
    public String diagnostics() {
        return "\n--- " + console + " (tail) ---\n" + tail(console) + "\n--- " + log + " (tail) ---\n" + tail(log);
    }

    private static boolean waitFor(Process p, long seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mosquitto to exit", e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
