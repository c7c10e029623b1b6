package org.edgeha.benchmarks;

import java.nio.file.Path;

/**
 * Runs every scenario and writes the report: {@code benchmarks/run [--quick|--full] [--out FILE]}.
 * Quick mode checks that the harness works (CI smoke run); full mode gives the reported figures.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = Path.of("docs/BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("benchmarks: unknown argument " + args[i] + " (use --quick, --full, --out FILE)");
                    System.exit(2);
                }
            }
        }
        Report report = new Report(quick ? "quick" : "full");
        new RecoveryBenchmarks(quick).run(report);
        new GroupServicesBenchmarks(quick).run(report);
        report.write(out);
        System.out.println("benchmarks: wrote " + out.toAbsolutePath());
        System.exit(0); // the recovery service's pool threads are daemons, but be explicit
    }
}
