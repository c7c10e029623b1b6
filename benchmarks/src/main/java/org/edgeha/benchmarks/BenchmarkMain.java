package org.edgeha.benchmarks;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs every scenario and writes the report: {@code benchmarks/run [--quick|--full] [--out FILE] [--only NAME]}.
 * Quick mode checks that the harness works (CI smoke run); full mode gives the reported figures. {@code --only}
 * ({@code footprint}, {@code small}, {@code recovery}, {@code engine}, {@code peers}, {@code mqtt}, {@code scale} or
 * {@code broadcast}, repeatable) runs some scenarios, for working on one: the report then holds only their
 * sections, so give it another {@code --out}.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = Path.of("docs/BENCHMARKS.md");
        Set<String> only = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only.add(args[++i]);
                default -> {
                    System.err.println("benchmarks: unknown argument " + args[i]
                            + " (use --quick, --full, --out FILE, --only footprint|small|recovery|engine|peers|mqtt|scale|broadcast)");
                    System.exit(2);
                }
            }
        }
        Report report = new Report(quick ? "quick" : "full", out);
        // First, while the machine is quietest: start-up times suffer most from other load.
        if (only.isEmpty() || only.contains("footprint")) {
            new FootprintBenchmarks(quick).run(report);
        }
        if (only.isEmpty() || only.contains("small")) {
            new SmallGatewayBenchmarks(quick).run(report); // start-up again, under a small box's CPU quota
        }
        if (only.isEmpty() || only.contains("recovery")) {
            new RecoveryBenchmarks(quick).run(report);
        }
        if (only.isEmpty() || only.contains("engine")) {
            new GroupServicesBenchmarks(quick).run(report);
        }
        if (only.isEmpty() || only.contains("peers")) {
            new PeerBenchmarks(quick).run(report); // before mqtt, which may hold its figures against these
        }
        if (only.isEmpty() || only.contains("mqtt")) {
            new GroupOverMqttBenchmarks(quick).run(report);
        }
        if (only.isEmpty() || only.contains("scale")) {
            new ScaleBenchmarks(quick).run(report);
        }
        if (only.isEmpty() || only.contains("broadcast")) {
            new BroadcastBenchmarks(quick).run(report);
        }
        report.write();
        System.out.println("benchmarks: wrote " + out.toAbsolutePath());
        System.exit(0); // the recovery service's pool threads are daemons, but be explicit
    }
}
