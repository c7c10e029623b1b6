package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real gateway process ({@code java -jar edgeha-gateway.jar}) with its own home, as the README's service
 * unit runs it ({@code -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}, no console); its output goes to
 * {@code console.log} in the home. The benchmark probe bundle is dropped into {@code deploy/} before the start.
 */
final class GatewayRun implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** The domain key every benchmark gateway shares. */
    private static final String DOMAIN_KEY = "benchmark-domain-secret";

    private final Path jar;
    private final Path home;
    private final int node;
    private final String broker;
    private Process process;
    /** How the command is started: as it is, or e.g. through a cgroup's wrapper ({@link Cgroup#wrap}). */
    private java.util.function.UnaryOperator<List<String>> launcher = c -> c;

    /**
     * Prepares the home: the probe in {@code deploy/}, the MQTT and Group Services settings in {@code etc/}.
     *
     * @param keepaliveSeconds MQTT keepalive, or 0 for the default
     * @param willDelaySeconds will delay, or -1 for the default
     */
    GatewayRun(Path jar, Path probe, Path home, int node, String broker, int keepaliveSeconds, int willDelaySeconds)
            throws IOException {
        this.jar = jar;
        this.home = home;
        this.node = node;
        this.broker = broker;
        Path etc = Files.createDirectories(home.resolve("etc"));
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(probe, deploy.resolve("org.edgeha.benchmarks.probe.jar"), StandardCopyOption.REPLACE_EXISTING);
        StringBuilder mqtt = new StringBuilder();
        if (keepaliveSeconds > 0) {
            mqtt.append("keepalive.s=").append(keepaliveSeconds).append('\n');
        }
        if (willDelaySeconds >= 0) {
            mqtt.append("will.delay.s=").append(willDelaySeconds).append('\n');
        }
        Files.writeString(etc.resolve("org.edgeha.mqtt.cfg"), mqtt.toString());
        Files.writeString(etc.resolve("org.edgeha.gs.mqtt.cfg"), ".domain.key=" + DOMAIN_KEY + "\n");
    }

    /** Starts the next {@link #start()} through {@code launcher} (e.g. into a cgroup); {@code c -> c} for none. */
    void launchThrough(java.util.function.UnaryOperator<List<String>> launcher) {
        this.launcher = launcher;
    }

    int node() {
        return node;
    }

    Path home() {
        return home;
    }

    Path benchFile(String name) {
        return home.resolve("data/bench").resolve(name);
    }

    /** Starts the process (again, with the same home: a new incarnation); does not wait for it. */
    void start() throws IOException {
        Files.deleteIfExists(console());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        // For profiling (e.g. -XX:StartFlightRecording=filename=/tmp/jfr/gw{node}.jfr): not used for reported figures.
        String extra = System.getProperty("edgeha.bench.gatewayJavaOpts", "").trim();
        if (!extra.isEmpty()) {
            for (String option : extra.split("\\s+")) {
                command.add(option.replace("{home}", home.toString()).replace("{node}", String.valueOf(node)));
            }
        }
        command.addAll(List.of("-jar", jar.toString(), "--edgeha.home=" + home, "--edgeha.node=" + node,
                "--edgeha.broker=" + broker, "--edgeha.console=false"));
        process = new ProcessBuilder(launcher.apply(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile())).start();
    }

    /** Waits for the gateway's ready line. */
    void awaitReady(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        String ready = "EdgeHA gateway ready: node " + node + ",";
        while (!output().contains(ready)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gateway " + node + " not ready:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** Writes a ConfigAdmin file into {@code etc/} at once (FileInstall must never read half of it). */
    void configure(String pid, String content) throws IOException {
        Path tmp = home.resolve(pid + ".cfg.new");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, home.resolve("etc").resolve(pid + ".cfg"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** SIGKILL: the gateway dies without a goodbye, as on a power cut; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the gateway hangs with its sockets open (only keepalive can tell). */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String output() throws IOException {
        return Files.exists(console()) ? Files.readString(console(), StandardCharsets.UTF_8) : "";
    }

    private Path console() {
        return home.resolve("console.log");
    }

    /** SIGTERM, without waiting: {@link #close()} waits. */
    void terminate() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
