package org.edgeha.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PeerMember} in a JVM of its own, on the benchmark's class path, so that it can be killed with SIGKILL.
 * Three things make sure none is left behind: {@link #close()} in the scenarios' {@code finally}, a shutdown hook
 * of the benchmark JVM, and the member itself, which exits when its standard input ends (the benchmark JVM died).
 */
final class ChildJvm implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "peer-children-reaper"));
    }

    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private String ready;

    /** Starts {@code java PeerMember args...} and waits for its ready line. */
    ChildJvm(long timeoutMs, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerMember.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        LIVE.add(process);
        Thread reader = new Thread(this::drain, "peer-child-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String output = null;
        synchronized (tail) {
            while (ready == null && output == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !process.isAlive()) {
                    output = String.join("\n", tail);
                } else {
                    tail.wait(Math.min(left, 100));
                }
            }
        }
        if (output != null) {
            close();
            throw new IllegalStateException("peer member " + String.join(" ", args) + " not ready within "
                    + timeoutMs + " ms:\n" + output);
        }
    }

    /** Keeps the last lines of the member's output (for errors) and notes its ready line. */
    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (tail) {
                    if (line.startsWith(PeerMember.READY) && ready == null) {
                        ready = line.substring(PeerMember.READY.length()).trim();
                    }
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                    tail.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** @return what the member said after its ready word (e.g. its negotiated session timeout) */
    String ready() {
        synchronized (tail) {
            return ready;
        }
    }

    /** SIGKILL (Process.destroyForcibly on Unix), without waiting: the caller times what follows. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGKILL if still alive, and wait until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        LIVE.remove(process);
    }
}
