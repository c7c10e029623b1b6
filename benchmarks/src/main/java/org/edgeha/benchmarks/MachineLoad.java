package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** How busy the machine is (Linux): the 1-minute load average and the CPU pressure, for the report's notes. */
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

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
