package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cgroup v1 of its own in the {@code cpu} and {@code memory} hierarchies, {@code edgeha-bench-<pid>-<n>}: a CPU
 * quota and a memory limit like a small gateway's. Processes join it through {@link #wrap}: a shell that writes its
 * own pid into both {@code cgroup.procs} and then execs the command, so the process runs limited from its first
 * instruction on, and its children (Karaf's script forks its JVM) are in it too. {@link #close()} removes both
 * folders once the processes are gone; a shutdown hook removes what is left should the benchmark JVM stop early.
 */
final class Cgroup implements AutoCloseable {

    static final Path CPU_ROOT = Path.of("/sys/fs/cgroup/cpu");
    static final Path MEMORY_ROOT = Path.of("/sys/fs/cgroup/memory");

    private static final Set<Cgroup> LIVE = ConcurrentHashMap.newKeySet();
    private static int counter;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Cgroup::remove), "cgroup-remover"));
    }

    private final Path cpu;
    private final Path memory;

    /**
     * @param quotaMicros CPU time per period ({@code cpu.cfs_quota_us}), e.g. 25000 of 100000 for 0.25 CPU
     * @param memoryBytes {@code memory.limit_in_bytes}, and the same for memory plus swap where swap is accounted
     */
    Cgroup(long quotaMicros, long periodMicros, long memoryBytes) throws IOException {
        String name = "edgeha-bench-" + ProcessHandle.current().pid() + "-" + next();
        cpu = CPU_ROOT.resolve(name);
        memory = MEMORY_ROOT.resolve(name);
        Files.createDirectory(cpu);
        LIVE.add(this);
        Files.createDirectory(memory);
        write(cpu.resolve("cpu.cfs_period_us"), periodMicros);
        write(cpu.resolve("cpu.cfs_quota_us"), quotaMicros);
        write(memory.resolve("memory.limit_in_bytes"), memoryBytes);
        // Without this, a process over the limit would be swapped out rather than killed: a Pi-class box has no swap.
        Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(memsw)) {
            write(memsw, memoryBytes);
        }
    }

    private static synchronized int next() {
        return ++counter;
    }

    /**
     * @return why this machine cannot give the benchmark a cgroup (no v1 {@code cpu}/{@code memory} hierarchy, or
     *     not writable, e.g. not root), or empty when it can
     */
    static Optional<String> unavailable() {
        if (!Files.isDirectory(CPU_ROOT) || !Files.isDirectory(MEMORY_ROOT)
                || !Files.exists(CPU_ROOT.resolve("cpu.cfs_quota_us"))
                || !Files.exists(MEMORY_ROOT.resolve("memory.limit_in_bytes"))) {
            return Optional.of("no cgroup v1 cpu and memory controllers at " + CPU_ROOT + " and " + MEMORY_ROOT);
        }
        try (Cgroup probe = new Cgroup(100_000, 100_000, 1L << 30)) {
            return Optional.empty();
        } catch (IOException | RuntimeException | InterruptedException e) {
            return Optional.of("cannot create a cgroup under " + CPU_ROOT + " and " + MEMORY_ROOT + " (" + e + ")");
        }
    }

    /** @return {@code command} started so that it joins this cgroup before it execs */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > '" + cpu.resolve("cgroup.procs")
                + "' && echo $$ > '" + memory.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** @return the OOM killer's kills in this cgroup so far ({@code oom_kill} of {@code memory.oom_control}) */
    long oomKills() {
        for (String line : read(memory.resolve("memory.oom_control")).split("\n")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return 0;
    }

    /** @return how often usage hit the limit ({@code memory.failcnt}) */
    long failcnt() {
        String s = read(memory.resolve("memory.failcnt")).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** @return the peak memory charged to the cgroup, page cache included ({@code memory.max_usage_in_bytes}) */
    long maxUsageBytes() {
        String s = read(memory.resolve("memory.max_usage_in_bytes")).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** @return how often the CPU quota throttled the cgroup ({@code nr_throttled} of {@code cpu.stat}) */
    long throttled() {
        for (String line : read(cpu.resolve("cpu.stat")).split("\n")) {
            if (line.startsWith("nr_throttled ")) {
                return Long.parseLong(line.substring(13).trim());
            }
        }
        return 0;
    }

    /** Removes both folders; the caller has stopped the processes (a cgroup with processes cannot be removed). */
    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < 100 && !(read(cpu.resolve("cgroup.procs")).isBlank()
                && read(memory.resolve("cgroup.procs")).isBlank()); i++) {
            Thread.sleep(100); // processes just killed may take a moment to leave
        }
        remove();
    }

    private void remove() {
        for (Path dir : List.of(cpu, memory)) {
            try {
                Files.deleteIfExists(dir); // rmdir: a cgroup folder's files are not real and go with it
            } catch (IOException e) {
                System.err.println("cgroup: could not remove " + dir + " (" + e + "): remove it with rmdir once its "
                        + "processes are gone");
            }
        }
        LIVE.remove(this);
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value), StandardCharsets.US_ASCII);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
