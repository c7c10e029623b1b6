package org.edgeha.testing.broker.hivemq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * Embedded HiveMQ CE broker for {@code org.edgeha.testing.broker.BrokerFixture} where no mosquitto is installed.
 *
 * <p>Service provider of {@code java.util.function.IntFunction} (the fixture's service type):
 * {@link #apply(int)} starts an MQTT 5 broker on 127.0.0.1:port and returns once it accepts connections; the
 * returned handle's {@code close()} stops it (HiveMQ needs about 4 s) and returns once the port is released.
 * Each call uses a fresh temp dir for configuration and data, deleted on close. Persistence is in memory, and
 * anonymous usage statistics (HiveMQ's only outside call) are off.
 */
public final class HiveMqBroker implements IntFunction<AutoCloseable> {

    private static final long START_TIMEOUT_SECONDS = 60;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public HiveMqBroker() {
    }

    @Override
    public AutoCloseable apply(int port) {
        Path dir = createTempDir();
        EmbeddedHiveMQ hivemq = null;
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Files.writeString(Files.createDirectories(dir.resolve("conf")).resolve("config.xml"),
                    config(port), StandardCharsets.UTF_8);
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(dir.resolve("conf"))
                    .withDataFolder(dir.resolve("data"))
                    .withExtensionsFolder(dir.resolve("extensions"))
                    .withoutLoggingBootstrap() // logging comes from logback-test.xml, not from HiveMQ's defaults
                    .build();
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            EmbeddedHiveMQ started = hivemq;
            return () -> {
                try {
                    started.close(); // stops the broker, then releases its threads
                } finally {
                    deleteTree(dir);
                }
            };
        } catch (Exception e) {
            closeQuietly(hivemq);
            deleteTree(dir);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded HiveMQ did not start on 127.0.0.1:" + port, e);
        }
    }

    private static String config(int port) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<hivemq>\n"
                + "  <listeners>\n"
                + "    <tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address></tcp-listener>\n"
                + "  </listeners>\n"
                + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "  <persistence><mode>in-memory</mode></persistence>\n"
                + "</hivemq>\n";
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("edgeha-hivemq-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        if (hivemq != null) {
            try {
                hivemq.close();
            } catch (Exception ignored) {
                // already failing with the start error, which says more
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir must not fail a test
        }
    }
}
