package org.edgeha.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands of the test machine (dpkg, tar, ...) with a time limit, and gateway processes with their output in a file. */
final class Commands {

    /** What a finished command did. */
    record Result(int status, String output) {
    }

    private Commands() {
    }

    /** Runs {@code command} to its end (at most 120 s) and returns its status and output (stdout and stderr). */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("edgeha-cmd-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not end within 120 s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code command} and fails with its output unless it exits with 0; returns the output. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result r = run(List.of(command));
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + r.status() + ":\n" + r.output());
        }
        return r.output();
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Waits until {@code file} holds {@code text}; fails with its end when the process ends or time is up. */
    static void awaitText(Path file, String text, Process process, long timeoutSeconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!read(file).contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no \"" + text + "\" within " + timeoutSeconds + " s; output:\n" + tail(file));
            }
            if (!process.isAlive() && !read(file).contains(text)) {
                throw new AssertionError("the process ended with status " + process.exitValue() + " before \"" + text
                        + "\"; output:\n" + tail(file));
            }
            Thread.sleep(50);
        }
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static String tail(Path file) throws IOException {
        String s = read(file);
        return s.substring(Math.max(0, s.length() - 4000));
    }

    /** @return the user id a process runs as (real uid, from /proc) */
    static int uid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no Uid in /proc/" + pid + "/status");
    }

    static boolean isRoot() {
        try {
            return uid(ProcessHandle.current().pid()) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
