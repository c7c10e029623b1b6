package org.edgeha.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of the footprint scenario (a gateway, the Felix floor, Karaf): started with its output in a file,
 * timed from just before exec to its ready signal (a line in its output, or a port that accepts connections), then
 * its memory read from {@code /proc}. {@link #close()} kills the whole process tree (Karaf's script forks its JVM).
 */
final class MeasuredProcess implements AutoCloseable {

    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+) ms");

    private final Process process;
    private final Path output;
    private final long execNanos;
    private long readyNanos = -1;

    private MeasuredProcess(Process process, Path output, long execNanos) {
        this.process = process;
        this.output = output;
        this.execNanos = execNanos;
    }

    /** Starts {@code command} in {@code dir} with {@code env} added; its stdout and stderr go to {@code output}. */
    static MeasuredProcess start(List<String> command, Path dir, Map<String, String> env, Path output)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        long t0 = System.nanoTime();
        return new MeasuredProcess(builder.start(), output, t0);
    }

    /** Waits until the output holds {@code text}; returns the time from exec, in nanoseconds. */
    long awaitLine(String text, long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!output().contains(text)) {
            failIfGone(deadline, "no line \"" + text + "\"");
            Thread.sleep(2);
        }
        readyNanos = System.nanoTime();
        return readyNanos - execNanos;
    }

    /** Waits until {@code 127.0.0.1:port} accepts a connection; returns the time from exec, in nanoseconds. */
    long awaitPort(int port, long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                readyNanos = System.nanoTime();
                return readyNanos - execNanos;
            } catch (IOException notYet) {
                failIfGone(deadline, "port " + port + " not listening");
                Thread.sleep(5);
            }
        }
    }

    private void failIfGone(long deadline, String what) throws IOException {
        if (!process.isAlive() || System.nanoTime() - deadline > 0) {
            String out = output();
            throw new IllegalStateException(what + " (" + (process.isAlive() ? "timed out" : "exited "
                    + process.exitValue()) + "); output:\n" + out.substring(Math.max(0, out.length() - 3000)));
        }
    }

    /** @return the "started in N ms" the process printed, or -1 */
    long reportedMillis() throws IOException {
        Matcher m = STARTED_IN.matcher(output());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Sleeps until {@code millis} after the ready signal. */
    void sleepUntilAfterReady(long millis) throws InterruptedException {
        long wait = TimeUnit.NANOSECONDS.toMillis(readyNanos + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime());
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /**
     * @return the process of the tree that holds the most memory: the process itself, or for a script the JVM it
     *     started
     */
    long jvmPid() {
        long best = process.pid();
        long bestRss = memoryKib(best, "VmRSS");
        for (ProcessHandle child : process.descendants().toList()) {
            long rss = memoryKib(child.pid(), "VmRSS");
            if (rss > bestRss) {
                best = child.pid();
                bestRss = rss;
            }
        }
        return best;
    }

    /** @return a {@code /proc/PID/status} figure (VmRSS, VmHWM) in bytes, or -1 */
    static long memoryBytes(long pid, String field) {
        long kib = memoryKib(pid, field);
        return kib < 0 ? -1 : kib * 1024;
    }

    private static long memoryKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process is gone
        }
        return -1;
    }

    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /**
     * SIGTERM to the process (a gateway stops cleanly, and its JVM then writes what it writes at exit, such as a
     * class data archive) and waits for it to exit.
     *
     * @return whether it exited within the time
     */
    boolean stopCleanly(long timeout, TimeUnit unit) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout, unit);
    }

    /** SIGKILL to the process and every descendant (children first), and waits until all are gone. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("footprint: process " + p.pid() + " did not exit: " + e);
            }
        }
    }
}
