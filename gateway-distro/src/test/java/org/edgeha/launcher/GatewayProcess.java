package org.edgeha.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code edgeha-gateway.jar} running as a separate process, with its standard output and error
 * collected line by line so that a test can wait for a line with a deadline.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    /** Gateways still running when the test JVM ends (a test that timed out, failsafe stopped): killed then. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "gateway-process-reaper"));
    }

    private GatewayProcess(Process process) {
        this.process = process;
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        this.reader = new Thread(this::drain, "gateway-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmArgs] -jar edgeha-gateway.jar [args]}. */
    static GatewayProcess start(List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new GatewayProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    static Path jar() {
        String jar = System.getProperty("edgeha.gateway.jar");
        if (jar == null) {
            throw new IllegalStateException("system property edgeha.gateway.jar is not set (run through failsafe)");
        }
        return Path.of(jar);
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    /** Waits until a line matches; returns it, or empty when the deadline passes or the output ends. */
    Optional<String> awaitLine(Predicate<String> match, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return Optional.of(lines.get(seen));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /** Waits for the process to end; returns its exit status, or empty at the deadline. */
    Optional<Integer> awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            return Optional.empty();
        }
        try {
            reader.join(unit.toMillis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(process.exitValue());
    }

    /** Types a line at the gateway's console (started with {@code --edgeha.console=true}). */
    void command(String line) throws java.io.IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** The number of output lines so far: pass it to {@link #awaitLineAfter} to look only at newer ones. */
    int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /**
     * Runs a console command again and again until a line of its answer contains the text (for a state that comes
     * about in its own time); at most 30 s.
     *
     * @return that line, or empty at the deadline
     */
    Optional<String> awaitAnswer(String command, String text) throws Exception {
        return awaitAnswer(command, l -> l.contains(text));
    }

    /** Like {@link #awaitAnswer(String, String)}, until a line of the answer matches. */
    Optional<String> awaitAnswer(String command, Predicate<String> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int before = lineCount();
            command(command);
            Optional<String> line = awaitLineAfter(before, match, 2, TimeUnit.SECONDS);
            if (line.isPresent()) {
                return line;
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    /** Like {@link #awaitLine}, looking only at lines after the first {@code skip}. */
    Optional<String> awaitLineAfter(int skip, Predicate<String> match, long timeout, TimeUnit unit)
            throws InterruptedException {
        return awaitLine(new Predicate<>() {
            private int seen;

            @Override
            public boolean test(String line) {
                return seen++ >= skip && match.test(line);
            }
        }, timeout, unit);
    }

    /**
     * Sends SIGTERM. Through the process handle, because {@code Process.destroy()} also closes our end
     * of the output pipe, and the lines the gateway prints while stopping would be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL: the gateway dies without a goodbye, as on a power cut. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        synchronized (lines) {
            return String.join(System.lineSeparator(), lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
