package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How busy the machine is (Linux): the 1-minute load average and the CPU pressure, for the report's notes; and how
 * much CPU a process used.
 */
final class MachineLoad {

    private MachineLoad() {
    }

    /** @return e.g. "load 1.23, CPU pressure 12.3 %" (PSI "some" avg60: share of time a task waited for a CPU) */
    static String now() {
        String load = read("/proc/loadavg").split(" ")[0];
        String pressure = read("/proc/pressure/cpu").replaceAll("(?s).*?some avg10=[0-9.]+ avg60=([0-9.]+).*", "$1");
        return String.format(Locale.ROOT, "load %s, CPU pressure %s %%", load.isEmpty() ? "?" : load,
                pressure.isEmpty() || pressure.contains(" ") ? "?" : pressure);
    }

    /**
     * @return CPU time (user + system) the process has used so far, in nanoseconds, from {@code /proc/PID/stat}
     *     (clock ticks of 10 ms, USER_HZ 100); 0 when it cannot be read
     */
    static long cpuNanos(long pid) {
        String stat = read("/proc/" + pid + "/stat");
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return 0;
        }
        String[] f = stat.substring(end + 2).split(" "); // f[0] is field 3 (state); utime is field 14
        try {
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** @return the busiest threads of a process and their CPU time so far, e.g. "main=120ms gs-engine-1=40ms" */
    static String busiestThreads(long pid, int limit) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            record Busy(String name, long millis) {
            }
            List<Busy> threads = new ArrayList<>();
            tasks.forEach(task -> {
                String stat = read(task.resolve("stat").toString());
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open >= 0 && close > open) {
                    String[] f = stat.substring(close + 2).split(" ");
                    threads.add(new Busy(stat.substring(open + 1, close),
                            (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10));
                }
            });
            threads.sort(Comparator.comparingLong(Busy::millis).reversed());
            StringBuilder out = new StringBuilder();
            threads.stream().limit(limit).forEach(b -> out.append(out.length() == 0 ? "" : " ").append(b.name())
                    .append('=').append(b.millis()).append("ms"));
            return out.toString();
        } catch (IOException | RuntimeException e) {
            return "(" + e + ")";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
