package org.edgeha.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.edgeha.testing.broker.BrokerFixture;

/**
 * Footprint (SPEC 5: start-up ≤ 1 s, RSS ≤ 80 MB with {@code -Xmx32m}, distro jar ≤ 6 MB), side by side in one run
 * with the floor it cannot beat, a plain Felix with only SCR ({@link FelixFloor}), and with Karaf minimal, the
 * system an integrator would otherwise pick. The three alternate repetition by repetition, each as a new process
 * with the same JVM flags (the README's service flags), and from a fresh home, cache or unpacked distribution.
 */
final class FootprintBenchmarks {

    static final String TITLE = "Footprint";
    /** When RSS is read: a few seconds after ready, once start-up's garbage is collected or not. */
    private static final long RSS_AFTER_READY_MS = 3_000;
    private static final long GOAL_STARTUP_NANOS = 1_000_000_000L;
    private static final long GOAL_RSS_BYTES = 80L << 20;
    private static final long GOAL_JAR_BYTES = 6L << 20;

    /** One start of one system. */
    record Sample(long startupNanos, long reportedMillis, long cpuNanos, long rssBytes, long hwmBytes) {
    }

    private final int edgehaReps;
    private final int felixReps;
    private final int karafReps;
    private final List<Sample> edgehaClean = new ArrayList<>();
    private final List<Sample> edgehaWarm = new ArrayList<>();
    private final List<Sample> felix = new ArrayList<>();
    private final List<Sample> karaf = new ArrayList<>();
    /** Why Karaf starts failed (it is the peer, not the system under test: its failure is noted, not fatal). */
    private final List<String> karafFailures = new ArrayList<>();

    FootprintBenchmarks(boolean quick) {
        this.edgehaReps = quick ? 2 : 9;
        this.felixReps = quick ? 2 : 9;
        this.karafReps = quick ? 2 : 4;
    }

    void run(Report report) throws Exception {
        Path jar = Path.of(System.getProperty("edgeha.gateway.jar", "gateway-distro/target/edgeha-gateway.jar"));
        Path peers = peersFolder();
        List<Path> felixJars = files(peers.resolve("felix"), ".jar");
        List<Path> felixBundles = files(peers.resolve("felix/bundles"), ".jar");
        List<Path> karafTars = files(peers, ".tar.gz");
        if (!Files.isRegularFile(jar) || felixJars.size() != 1 || felixBundles.isEmpty() || karafTars.size() != 1) {
            report.section(TITLE, "Not measured: build first (`mvn package -DskipTests -pl benchmarks -am`); looked for "
                    + jar + ", the Felix jars and the Karaf tar.gz in " + peers + ".", List.of(), "");
            return;
        }
        Path felixJar = felixJars.get(0);
        Path karafTar = karafTars.get(0);
        Path root = Files.createTempDirectory("edgeha-bench-footprint-");
        String loadBefore = MachineLoad.now();
        long started = System.nanoTime();
        BrokerFixture broker = null;
        String brokerUri;
        try {
            broker = GroupOverMqttBenchmarks.startMosquitto();
            brokerUri = broker.uri();
        } catch (IllegalStateException noMosquitto) {
            brokerUri = "tcp://127.0.0.1:" + freePort(); // nothing listens: the gateway starts all the same
        }
        long karafBytes = 0;
        try {
            int reps = Math.max(edgehaReps, Math.max(felixReps, karafReps));
            for (int i = 0; i < reps; i++) {
                if (i < edgehaReps) {
                    Path home = root.resolve("edgeha-" + i);
                    edgehaClean.add(edgeha(jar, home, brokerUri));
                    edgehaWarm.add(edgeha(jar, home, brokerUri)); // the same home again: a warm start
                }
                if (i < felixReps) {
                    felix.add(felixFloor(felixJar, felixBundles, root.resolve("felix-" + i)));
                }
                if (i < karafReps) {
                    Path home = unpack(karafTar, root.resolve("karaf-" + i));
                    karafBytes = treeBytes(home);
                    try {
                        karaf.add(karaf(home));
                    } catch (IllegalStateException | IOException e) {
                        karafFailures.add(e.getMessage().lines().findFirst().orElse(e.toString()));
                    }
                    GroupOverMqttBenchmarks.deleteTree(home);
                }
                System.out.printf(Locale.ROOT, "footprint: repetition %d of %d done%n", i + 1, reps);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            GroupOverMqttBenchmarks.deleteTree(root);
        }
        long felixBytes = Files.size(felixJar);
        for (Path b : felixBundles) {
            felixBytes += Files.size(b);
        }
        String machine = String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s); the "
                + "processes and this JVM share its %d cores.", loadBefore, MachineLoad.now(),
                (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());
        report(report, Files.size(jar), felixBytes, karafBytes, brokerUri, broker != null, machine);
    }

    private Sample edgeha(Path jar, Path home, String broker) throws Exception {
        List<String> command = java();
        command.addAll(List.of("-jar", jar.toString(), "--edgeha.home=" + home, "--edgeha.node=1",
                "--edgeha.domain=footprint", "--edgeha.broker=" + broker, "--edgeha.console=false"));
        Files.createDirectories(home);
        try (MeasuredProcess p = MeasuredProcess.start(command, home, Map.of(), home.resolve("console.log"))) {
            long nanos = p.awaitLine("EdgeHA gateway ready: node 1,", 60, TimeUnit.SECONDS);
            return sample(p, nanos, p.jvmPid());
        }
    }

    private Sample felixFloor(Path felixJar, List<Path> bundles, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> command = java();
        command.addAll(List.of("-cp", felixJar + java.io.File.pathSeparator + ownClasses(), FelixFloor.class.getName(),
                dir.resolve("cache").toString()));
        bundles.forEach(b -> command.add(b.toString()));
        try (MeasuredProcess p = MeasuredProcess.start(command, dir, Map.of(), dir.resolve("console.log"))) {
            long nanos = p.awaitLine(FelixFloor.READY, 30, TimeUnit.SECONDS);
            return sample(p, nanos, p.jvmPid());
        }
    }

    private Sample karaf(Path home) throws Exception {
        int ssh = freePort();
        KarafSetup.isolate(home, ssh, freePort(), freePort());
        List<String> command = List.of(home.resolve("bin/karaf").toString(), "server");
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "EXTRA_JAVA_OPTS", String.join(" ", GatewayRun.JVM_OPTIONS));
        try (MeasuredProcess p = MeasuredProcess.start(command, home, env, home.resolve("console.log"))) {
            long nanos = p.awaitPort(ssh, 120, TimeUnit.SECONDS);
            return sample(p, nanos, p.jvmPid());
        }
    }

    private static Sample sample(MeasuredProcess p, long startupNanos, long jvm) throws Exception {
        long cpu = MachineLoad.cpuNanos(jvm);
        p.sleepUntilAfterReady(RSS_AFTER_READY_MS);
        return new Sample(startupNanos, p.reportedMillis(), cpu, MeasuredProcess.memoryBytes(jvm, "VmRSS"),
                MeasuredProcess.memoryBytes(jvm, "VmHWM"));
    }

    private void report(Report report, long jarBytes, long felixBytes, long karafBytes, String broker,
            boolean privateBroker, String machine) throws IOException {
        Stats fs = stats(felix, Sample::startupNanos);
        Stats frss = stats(felix, Sample::rssBytes);
        Stats es = stats(edgehaClean, Sample::startupNanos);
        Stats ew = stats(edgehaWarm, Sample::startupNanos);
        Stats ks = stats(karaf, Sample::startupNanos);
        Stats erss = stats(edgehaClean, Sample::rssBytes);
        Stats krss = stats(karaf, Sample::rssBytes);
        Stats reported = stats(edgehaClean, s -> s.reportedMillis() * 1_000_000);
        List<Report.Row> rows = new ArrayList<>();
        rows.add(timeRow("EdgeHA, exec → ready line, fresh home", es, ratio(es.median(), fs.median()), true));
        rows.add(timeRow("EdgeHA, exec → ready line, same home again (warm)", ew, ratio(ew.median(), fs.median()), true));
        rows.add(timeRow("EdgeHA, the \"started in\" it prints (JVM uptime), fresh home", reported, "", false));
        rows.add(timeRow("Felix + SCR floor, exec → all bundles ACTIVE", fs, "1.00 (floor)", false));
        rows.add(timeRow("Karaf minimal, exec → ssh port listening", ks, ratio(ks.median(), fs.median()), false));
        String after = " " + RSS_AFTER_READY_MS / 1000 + " s after ready";
        rows.add(bytesRow("EdgeHA VmRSS" + after, erss, ratio(erss.median(), frss.median()), true));
        rows.add(bytesRow("EdgeHA VmHWM (peak)", stats(edgehaClean, Sample::hwmBytes), "", false));
        rows.add(bytesRow("Felix + SCR floor VmRSS" + after, frss, "1.00 (floor)", false));
        rows.add(bytesRow("Felix + SCR floor VmHWM", stats(felix, Sample::hwmBytes), "", false));
        rows.add(bytesRow("Karaf minimal VmRSS" + after + " (its JVM)", krss, ratio(krss.median(), frss.median()),
                false));
        rows.add(bytesRow("Karaf minimal VmHWM", stats(karaf, Sample::hwmBytes), "", false));
        String jarRatio = ratio(jarBytes, felixBytes);
        rows.add(new Report.Row("EdgeHA distro, edgeha-gateway.jar", mib(jarBytes), "", jarRatio, "≤ 6 MB",
                met(jarBytes <= GOAL_JAR_BYTES)));
        rows.add(new Report.Row("Felix + SCR, framework and 4 bundle jars", mib(felixBytes), "", "1.00 (floor)", "", ""));
        rows.add(new Report.Row("Karaf minimal, unpacked distribution", mib(karafBytes), "", ratio(karafBytes, felixBytes),
                "", ""));

        report.figure("footprint.edgeha.startup.median", es.median());
        report.figure("footprint.edgeha.rss.median", erss.median());
        report.figure("footprint.edgeha.jar", jarBytes);
        report.figure("footprint.felix.startup.median", fs.median());
        report.figure("footprint.felix.rss.median", frss.median());
        if (ks.count() > 0) {
            report.figure("footprint.karaf.startup.median", ks.median());
            report.figure("footprint.karaf.rss.median", krss.median());
        }
        report.summary(new Report.Row("Start-up to the ready line (" + es.count() + " starts)", Stats.time(es.median()),
                Stats.time(es.p99()), ratio(es.median(), fs.median()) + " × Felix floor", "≤ 1 s",
                met(es.median() <= GOAL_STARTUP_NANOS)));
        report.summary(new Report.Row("RSS with -Xmx32m", mib(erss.median()), mib(erss.p99()),
                ratio(erss.median(), frss.median()) + " × Felix floor", "≤ 80 MB", met(erss.median() <= GOAL_RSS_BYTES)));
        report.summary(new Report.Row("Distro jar", mib(jarBytes), "", "", "≤ 6 MB", met(jarBytes <= GOAL_JAR_BYTES)));

        List<String> systems = List.of("EdgeHA", "Felix + SCR (floor)", "Karaf minimal");
        String startupChart = report.barChart("footprint-startup", "Start-up, exec to ready (median, ms)", "ms", systems,
                List.of(new Charts.Bars("fresh", new double[] {es.median() / 1e6, fs.median() / 1e6, ks.median() / 1e6})));
        String memoryChart = report.barChart("footprint-memory", "Memory with -Xmx32m (median, MiB)", "MiB", systems,
                List.of(new Charts.Bars("VmRSS " + RSS_AFTER_READY_MS / 1000 + " s after ready", new double[] {
                    erss.median() / 1048576.0, frss.median() / 1048576.0, krss.median() / 1048576.0}),
                        new Charts.Bars("VmHWM", new double[] {stats(edgehaClean, Sample::hwmBytes).median() / 1048576.0,
                            stats(felix, Sample::hwmBytes).median() / 1048576.0,
                            stats(karaf, Sample::hwmBytes).median() / 1048576.0})));
        Stats ecpu = stats(edgehaClean, Sample::cpuNanos);
        Stats fcpu = stats(felix, Sample::cpuNanos);
        Stats kcpu = stats(karaf, Sample::cpuNanos);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "CPU time (user + system, /proc) each process had used when it was ready, "
                + "median: EdgeHA %s, Felix + SCR %s, Karaf %s. On a busy machine it says more than wall time does.",
                Stats.time(ecpu.median()), Stats.time(fcpu.median()), Stats.time(kcpu.median())));
        notes.add("Start-up ranges: EdgeHA " + range(es) + ", Felix " + range(fs) + ", Karaf " + range(ks) + ".");
        notes.add(String.format(Locale.ROOT, "MB in this section means MiB (2^20 bytes); the EdgeHA RSS median is "
                + "%.1f MB in decimal megabytes.", erss.median() / 1e6));
        if (!karafFailures.isEmpty()) {
            notes.add("Karaf failed to start " + karafFailures.size() + " time(s): " + String.join("; ", karafFailures));
        }
        notes.add(machine);
        System.out.println("footprint: EdgeHA " + Stats.time(es.median()) + " / " + mib(erss.median()) + ", Felix "
                + Stats.time(fs.median()) + " / " + mib(frss.median()) + ", Karaf " + Stats.time(ks.median()) + " / "
                + mib(krss.median()));
        report.section(TITLE, setup(broker, privateBroker), rows,
                "- " + String.join("\n- ", notes) + "\n\n" + startupChart + "\n\n" + memoryChart);
    }

    private String setup(String broker, boolean privateBroker) {
        return "Three systems started again and again as new processes on this machine, alternating repetition by "
                + "repetition (EdgeHA twice, then the Felix floor, then Karaf), all with `java "
                + String.join(" ", GatewayRun.JVM_OPTIONS) + "` (the README's service flags). **EdgeHA**: `java -jar "
                + "edgeha-gateway.jar` with a fresh home (" + edgehaReps + " times), then at once again on the same "
                + "home (warm; the Felix cache is rebuilt at every start all the same), no console, broker "
                + (privateBroker ? "a private Mosquitto" : "`" + broker + "` where nothing listens (no Mosquitto found)")
                + "; timed from just before exec to its ready line on standard output. **Floor**: a plain Felix 7.0.5 "
                + "with only SCR 2.2.12 and the bundles it needs (org.osgi.service.component 1.5.1, promise 1.3.0, "
                + "function 1.2.0), started by a tiny launcher (`FelixFloor`: FrameworkFactory, clean cache, install, "
                + "start) until every bundle is ACTIVE (" + felixReps + " times). **Karaf minimal 4.4.8**: "
                + "`bin/karaf server` from a freshly unpacked distribution (" + karafReps + " times), flags in "
                + "EXTRA_JAVA_OPTS, remote Maven repositories removed, ssh bound to 127.0.0.1 on a free port; timed to "
                + "the ssh port accepting a connection. RSS (VmRSS, and the peak VmHWM) is read from /proc "
                + RSS_AFTER_READY_MS / 1000 + " s after ready, of the JVM (Karaf's script forks one). p99 is the "
                + "maximum at these few repetitions; ratio = median / the Felix floor's median.";
    }

    private static Report.Row timeRow(String name, Stats s, String ratio, boolean goal) {
        if (s.count() == 0) {
            return new Report.Row(name + " (0)", "not measured", "", "", goal ? "≤ 1 s" : "", "");
        }
        return new Report.Row(name + " (" + s.count() + ")", Stats.time(s.median()), Stats.time(s.p99()), ratio,
                goal ? "≤ 1 s" : "", goal ? met(s.median() <= GOAL_STARTUP_NANOS) : "");
    }

    private static Report.Row bytesRow(String name, Stats s, String ratio, boolean goal) {
        if (s.count() == 0) {
            return new Report.Row(name + " (0)", "not measured", "", "", goal ? "≤ 80 MB" : "", "");
        }
        return new Report.Row(name + " (" + s.count() + ")", mib(s.median()), mib(s.p99()), ratio,
                goal ? "≤ 80 MB" : "", goal ? met(s.median() <= GOAL_RSS_BYTES) : "");
    }

    private static Stats stats(List<Sample> samples, ToLongFunction<Sample> f) {
        return samples.isEmpty() ? new Stats(0, 0, 0, 0, 0, 0) : Stats.of(samples.stream().mapToLong(f).toArray());
    }

    private static String range(Stats s) {
        return Stats.time(s.min()) + "–" + Stats.time(s.max());
    }

    private static String ratio(double value, double floor) {
        return String.format(Locale.ROOT, "%.2f", value / floor);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String met(boolean met) {
        return met ? "met" : "not met";
    }

    private static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(GatewayRun.JVM_OPTIONS);
        return command;
    }

    /** benchmarks/target/footprint, where the build copies Felix, SCR and Karaf (see the pom). */
    static Path peersFolder() throws URISyntaxException {
        String configured = System.getProperty("edgeha.benchmarks.footprint.dir");
        return configured != null ? Path.of(configured) : ownClasses().getParent().resolve("footprint");
    }

    /** @return benchmarks/target/classes, for the Felix floor's class path */
    static Path ownClasses() throws URISyntaxException {
        return Path.of(FootprintBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath();
    }

    static Path unpack(Path tarGz, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "xzf", tarGz.toString(), "-C", into.toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("tar xzf " + tarGz + " failed");
        }
        try (Stream<Path> top = Files.list(into)) {
            return top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    static long treeBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
