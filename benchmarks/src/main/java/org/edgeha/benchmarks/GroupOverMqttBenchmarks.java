package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.edgeha.testing.broker.BrokerFixture;

/**
 * Group Services between real gateway processes over one private Mosquitto (issue 5): state change latency beside
 * the broker's own one-hop latency measured in the same run through the same broker, and the time from the failure
 * of a gateway to the survivors' approved failure-leave.
 *
 * <p>Each gateway runs the benchmark probe bundle (benchmarks/probe) from its {@code deploy/} folder; the probe on
 * the gateway given a run proposes, every probe notes when it was told of each approval, and this driver reads
 * their files. Gateway 1 coordinates (the lowest node number); proposals come from gateway 2, whose request
 * crosses the broker too, and from gateway 1 itself.
 */
final class GroupOverMqttBenchmarks {

    static final String TITLE = "Group protocols over Mosquitto";
    static final String GROUP = "bench";
    static final String PROBE_PID = "org.edgeha.benchmarks.probe";
    private static final int COORDINATOR = 1;
    /** Who proposes: a gateway that is not the coordinator (the usual case), then the coordinator itself. */
    private static final int[] PROPOSERS = {2, COORDINATOR};
    static final int KEEPALIVE_S = 4;
    static final int WILL_DELAY_S = 1;
    private static final int DEFAULT_KEEPALIVE_S = 10;
    private static final int DEFAULT_WILL_DELAY_S = 5;
    private static final int PAUSE_MIN_US = 2_000;
    private static final int PAUSE_MAX_US = 8_000;
    /** Group sizes: the quick mode checks the harness with two, the full mode gives the reported curve. */
    private static final int[] QUICK_SIZES = {3, 5};
    private static final int[] FULL_SIZES = {3, 5, 10};

    private final boolean quick;
    private final int rounds;
    private final int runsPerRound;
    private final int warmupFirst;
    private final int warmupLater;
    private final int killReps;
    private final int hangReps;
    private final int defaultsReps;
    private final List<Report.Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final int[] sizes;
    private final long loadSeconds;
    private final int loadKillReps;
    /** Medians by group size for the charts and the summary: size -> {hop, 1-phase all, 2-phase all} (from gw 2). */
    private final Map<Integer, long[]> bySize = new java.util.TreeMap<>();
    private final Map<String, Long> detection = new java.util.LinkedHashMap<>();
    private Report.Row loadSummary;
    private Report report;

    GroupOverMqttBenchmarks(boolean quick) {
        this.quick = quick;
        // For A/B comparisons while profiling (not for reported figures): more rounds (CPU is counted from the second
        // one, past the JIT's warm-up), fewer sizes, no failure scenarios.
        this.rounds = Integer.getInteger("edgeha.bench.mqtt.rounds", quick ? 1 : 4);
        this.runsPerRound = quick ? 100 : 250;
        this.warmupFirst = quick ? 50 : 200;
        this.warmupLater = quick ? 0 : 20;
        this.killReps = quick ? 1 : 5;
        this.hangReps = quick ? 0 : 2;
        this.defaultsReps = quick ? 0 : 3;
        String sizesProperty = System.getProperty("edgeha.bench.mqtt.sizes", "").trim();
        this.sizes = !sizesProperty.isEmpty()
                ? java.util.Arrays.stream(sizesProperty.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray()
                : quick ? QUICK_SIZES : FULL_SIZES;
        this.loadSeconds = quick ? 5 : 30;
        this.loadKillReps = quick ? 1 : 3;
    }

    void run(Report report) throws Exception {
        this.report = report;
        Path jar = Path.of(System.getProperty("edgeha.gateway.jar", "gateway-distro/target/edgeha-gateway.jar"));
        Optional<Path> probe = probeJar();
        if (!Files.isRegularFile(jar) || probe.isEmpty()) {
            report.section(TITLE, "Not measured: build the gateway and the probe first (`mvn package -DskipTests`); "
                    + "looked for " + jar + " and benchmarks/probe/target/org.edgeha.benchmarks.probe-*.jar.",
                    List.of(), "");
            return;
        }
        BrokerFixture broker;
        try {
            broker = startMosquitto();
        } catch (IllegalStateException e) {
            report.section(TITLE, "Not measured: " + e.getMessage().lines().findFirst().orElse(""), List.of(), "");
            return;
        }
        Path root = Files.createTempDirectory("edgeha-bench-gs-");
        long started = System.nanoTime();
        String loadBefore = MachineLoad.now();
        try (broker; ViewWatch watch = new ViewWatch(broker.uri(), GROUP); RawHop raw = new RawHop(broker.uri())) {
            for (int n : sizes) {
                try (Group g = new Group(jar, probe.get(), root.resolve("n" + n), n, KEEPALIVE_S, WILL_DELAY_S,
                        broker.uri(), watch)) {
                    protocols(g, raw, broker.pid().orElse(-1));
                    if (Boolean.getBoolean("edgeha.bench.mqtt.protocolsOnly")) {
                        continue;
                    }
                    failures(g, false, killReps, KEEPALIVE_S, WILL_DELAY_S);
                    if (n == sizes[0] && hangReps > 0) {
                        failures(g, true, hangReps, KEEPALIVE_S, WILL_DELAY_S);
                    }
                    if (n == sizes[0]) {
                        underLoad(g);
                    }
                }
            }
            if (defaultsReps > 0 && !Boolean.getBoolean("edgeha.bench.mqtt.protocolsOnly")) {
                try (Group g = new Group(jar, probe.get(), root.resolve("defaults"), sizes[0], 0, -1, broker.uri(),
                        watch)) {
                    failures(g, false, defaultsReps, DEFAULT_KEEPALIVE_S, DEFAULT_WILL_DELAY_S);
                }
            }
        } finally {
            deleteTree(root);
        }
        String machine = String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s); the "
                + "gateways, Mosquitto and this JVM share its %d cores.", loadBefore, MachineLoad.now(),
                (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());
        notes.add(machine);
        System.out.println("group over mqtt: " + machine);
        notes.add(charts());
        report.section(TITLE, setup(mosquittoVersion()), rows, "- " + String.join("\n- ", notes));
        summarize();
    }

    /** Latency against group size, and in raw hops, as PNG charts beside the report. */
    private String charts() throws IOException {
        double[] x = bySize.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[][] ms = new double[3][x.length];
        double[][] hops = new double[2][x.length];
        int i = 0;
        for (long[] m : bySize.values()) {
            for (int k = 0; k < 3; k++) {
                ms[k][i] = m[k] / 1e6;
            }
            hops[0][i] = (double) m[1] / m[0];
            hops[1][i] = (double) m[2] / m[0];
            i++;
        }
        String latency = report.chart("mqtt-latency-by-group-size", "State change over Mosquitto: median latency, "
                + "from gateway 2, every member told", "gateways in the group", "median (ms)", false, List.of(
                        new Charts.Series("raw MQTT QoS 1 hop", x, ms[0]),
                        new Charts.Series("1-phase state change", x, ms[1]),
                        new Charts.Series("2-phase state change", x, ms[2])));
        String ratio = report.chart("mqtt-raw-hops-by-group-size", "State change over Mosquitto in raw hops "
                + "(median ÷ raw hop median); goals 3 and 5", "gateways in the group", "raw hops", false, List.of(
                        new Charts.Series("1-phase", x, hops[0]), new Charts.Series("2-phase", x, hops[1]),
                        Charts.Series.goal("1-phase goal (3)", x, 3), Charts.Series.goal("2-phase goal (5)", x, 5)));
        return "Charts:\n\n" + latency + "\n\n" + ratio;
    }

    /** The goals of this section in the report's summary table, and EdgeHA beside Curator's barrier. */
    private void summarize() {
        long[] three = bySize.get(sizes[0]);
        if (three != null) {
            for (int phases = 1; phases <= 2; phases++) {
                int goal = phases == 1 ? 3 : 5;
                double ratio = (double) three[phases] / three[0];
                report.summary(new Report.Row(phases + "-phase state change over Mosquitto, " + sizes[0]
                        + " gateways, from a non-coordinator, every member told", Stats.time(three[phases]), "",
                        String.format(Locale.ROOT, "%.2f × raw hop (%s)", ratio, Stats.time(three[0])),
                        "≤ " + goal + " × raw hop", ratio <= goal ? "met" : "not met"));
            }
        }
        long[] five = bySize.get(5);
        java.util.OptionalDouble barrier = report.figure("peers.curator.barrier5.median");
        if (five != null && barrier.isPresent()) {
            double ratio = five[2] / barrier.getAsDouble();
            report.summary(new Report.Row("2-phase state change, 5 gateways, every member told, beside Curator's "
                    + "DistributedDoubleBarrier with 5 participants", Stats.time(five[2]), "",
                    String.format(Locale.ROOT, "%.2f × Curator (%s)", ratio, Stats.time(barrier.getAsDouble())),
                    "faster than Curator", ratio < 1 ? "met" : "not met"));
        }
        for (Map.Entry<String, Long> d : detection.entrySet()) {
            report.summary(new Report.Row(d.getKey(), seconds(d.getValue()), "", "", "≤ 1.5 × keepalive = "
                    + seconds(KEEPALIVE_S * 1_500_000_000L), d.getValue() <= KEEPALIVE_S * 1_500_000_000L ? "met"
                    : "not met"));
        }
        if (loadSummary != null) {
            report.summary(loadSummary);
        }
        java.util.OptionalDouble edgeha = report.figure("mqtt.n" + sizes[0] + ".kill.k" + KEEPALIVE_S + ".median");
        java.util.OptionalDouble jgroups = report.figure("peers.jgroups.kill.tuned.median");
        java.util.OptionalDouble curator = report.figure("peers.curator.kill.tuned.median");
        if (edgeha.isPresent() && (jgroups.isPresent() || curator.isPresent())) {
            report.summary(new Report.Row("kill -9 detection beside the peers, tuned (EdgeHA keepalive " + KEEPALIVE_S
                    + " s / will delay " + WILL_DELAY_S + " s; JGroups FD_ALL3 3 s + VERIFY_SUSPECT2 0.5 s; ZooKeeper "
                    + "session 4 s)", "EdgeHA " + seconds((long) edgeha.getAsDouble()), "", (jgroups.isPresent()
                    ? "JGroups " + seconds((long) jgroups.getAsDouble()) : "") + (curator.isPresent() ? ", Curator "
                    + seconds((long) curator.getAsDouble()) : ""), "none (anchor)", ""));
        }
    }

    private String setup(String mosquitto) {
        int samples = rounds * runsPerRound;
        String failures = "kill -9" + (hangReps > 0 ? ", SIGSTOP" : "") + (defaultsReps > 0 ? ", and kill -9 at the "
                + "default keepalive " + DEFAULT_KEEPALIVE_S + " s / will delay " + DEFAULT_WILL_DELAY_S + " s" : "");
        return "One private " + mosquitto + " (loopback listener, `set_tcp_nodelay true`, `max_inflight_messages "
                + "1000`, `max_queued_messages 100000`, `persistence false`) and 3, then 5, real gateway processes "
                + "(`java " + String.join(" ", GatewayRun.JVM_OPTIONS) + " -jar edgeha-gateway.jar`, the README's "
                + "service flags; MQTT keepalive " + KEEPALIVE_S + " s, will delay " + WILL_DELAY_S + " s), all on "
                + "this machine. Each gateway runs the benchmark probe bundle (`benchmarks/probe`, dropped into "
                + "`deploy/`, not part of the distro): a provider of group `" + GROUP + "` that approves every phase. "
                + "Gateway " + COORDINATOR + " coordinates (lowest node number).\n\n"
                + "**State changes**: the probe on gateway 2, then the one on the coordinator, proposes state changes "
                + "one at a time, " + samples + " per series after a warm-up, with a random 2–8 ms pause between "
                + "them. From gateway 2 a 1-phase change crosses the broker twice (request, commit), a 2-phase change "
                + "four times (request, phase, votes, commit); from the coordinator once and three times. *Proposer "
                + "told*: from `changeStateValue` to the proposer's `approved` callback. *Every member told*: to the "
                + "last of all members' `approved` callbacks (each probe notes `System.nanoTime()`: CLOCK_MONOTONIC, "
                + "one clock for every process of the machine). Every protocol row is held against the goal.\n\n"
                + "**Raw hop**: in the same run, through the same broker, a plain Paho v5 publisher and subscriber "
                + "in the benchmark JVM (TCP_NODELAY sockets like the gateways'), QoS 1, 64-byte payload, one message "
                + "at a time with the same pauses, from `publish` to `messageArrived`; as many samples as a protocol "
                + "series, taken in " + rounds + " block" + (rounds == 1 ? "" : "s") + " between the protocol "
                + "blocks. Ratio = protocol median / raw hop median of the same group size. *CPU per change* (in the "
                + "notes): user + system time of the processes from /proc over the protocol runs, less their idle "
                + "use, from the second block on (the first warms the JIT up).\n\n"
                + "**How to read it**: besides its broker hops, a change passes through gateways: from gateway 2, "
                + "a 1-phase change through the coordinator and then the proposer (and the other members in "
                + "parallel), a 2-phase one through the coordinator, every member, the coordinator again and the "
                + "proposer. In each pass a frame crosses three threads: Paho's receiver, Paho's callback thread, "
                + "which checks the envelope (HMAC-SHA256, one `Mac` per thread), runs the engine and seals and "
                + "publishes the answer frames, and Paho's sender (the bridge's delivery thread is on the path only "
                + "when a status message or presence event is queued ahead of the frame). At QoS 1 each frame also "
                + "wakes the sending side's receiver and callback threads for its acknowledgement. Each approved "
                + "protocol costs a public-view publish too, which every gateway reads back. In a Java Flight Recorder "
                + "profile the engine's own code (codec, link layer, coordinator) is about a third of the samples, "
                + "with no hot method; the rest is Paho, the view JSON and thread wake-ups. All gateways, the "
                + "broker and the benchmark share the machine's cores, so a change to 5 gateways also waits for CPU "
                + "while they all handle the commit at once.\n\n"
                + "**Failure** (" + failures + "): the highest gateway (neither coordinator nor proposer) fails, "
                + "and the time runs until a plain Paho client receives the retained public view "
                + "`edgeha/default/group/" + GROUP + "/view` without it, i.e. the survivors' approved failure-leave. "
                + "The gateway then starts again with the same home and rejoins before the next repetition. With "
                + "few repetitions, p99 is the maximum, and the goal is held against it.";
    }

    /** @return e.g. "Mosquitto 2.0.11 at `/usr/sbin/mosquitto`", found as BrokerFixture finds it */
    static String mosquittoVersion() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "mosquitto"));
            }
        }
        candidates.add(Path.of("/usr/sbin/mosquitto"));
        for (Path binary : candidates) {
            if (Files.isExecutable(binary)) {
                try {
                    Process p = new ProcessBuilder(binary.toString(), "-h").redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor(5, TimeUnit.SECONDS);
                    String version = out.replaceAll("(?s).*?mosquitto version (\\S+).*", "$1");
                    return "Mosquitto " + (version.contains(" ") ? "" : version + " ") + "at `" + binary + "`";
                } catch (IOException | InterruptedException e) {
                    return "Mosquitto at `" + binary + "`";
                }
            }
        }
        return "Mosquitto";
    }

    /** @return a private Mosquitto (never the embedded fallback), or IllegalStateException when there is none */
    static BrokerFixture startMosquitto() {
        String before = System.getProperty(BrokerFixture.BROKER_PROPERTY);
        System.setProperty(BrokerFixture.BROKER_PROPERTY, "mosquitto"); // never the embedded fallback here
        try {
            return BrokerFixture.start();
        } finally {
            if (before == null) {
                System.clearProperty(BrokerFixture.BROKER_PROPERTY);
            } else {
                System.setProperty(BrokerFixture.BROKER_PROPERTY, before);
            }
        }
    }

    static Optional<Path> probeJar() throws IOException {
        String configured = System.getProperty("edgeha.benchmarks.probe.jar");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
        }
        Path target = Path.of("benchmarks/probe/target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("org\\.edgeha\\.benchmarks\\.probe-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
        }
    }

    // ---- state changes ----

    /** One series: proposer and every-member latencies and the per-hop breakdown, sample by sample. */
    static final class Series {
        final List<Long> proposer = new ArrayList<>();
        final List<Long> all = new ArrayList<>();
        final List<Long> coordinator = new ArrayList<>();
        final List<long[]> traced = new ArrayList<>();
        int overlaps;
        long protocols;
        long gatewaysCpu;
        long brokerCpu;
    }

    static int key(int proposer, int phases) {
        return proposer * 10 + phases;
    }

    private void protocols(Group g, RawHop raw, long brokerPid) throws Exception {
        int n = g.size();
        List<long[]> rawBlocks = new ArrayList<>();
        Map<Integer, Series> series = new HashMap<>();
        for (int proposer : PROPOSERS) {
            series.put(key(proposer, 1), new Series());
            series.put(key(proposer, 2), new Series());
        }
        int collisions = 0;
        long rawDriverCpu = 0;
        long rawBrokerCpu = 0;
        long rawCount = 0;
        long driverPid = ProcessHandle.current().pid();
        // What the processes use while idle (timers, FileInstall polling), subtracted from the runs' CPU below.
        Thread.sleep(1_000);
        long idleStart = System.nanoTime();
        long[] idle = {g.cpuNanos(), MachineLoad.cpuNanos(brokerPid), MachineLoad.cpuNanos(driverPid)};
        Thread.sleep(quick ? 2_000 : 5_000);
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        double gatewaysIdle = (g.cpuNanos() - idle[0]) / idleSeconds;
        double brokerIdle = (MachineLoad.cpuNanos(brokerPid) - idle[1]) / idleSeconds;
        double driverIdle = (MachineLoad.cpuNanos(driverPid) - idle[2]) / idleSeconds;
        FrameTrace trace = Boolean.getBoolean("edgeha.bench.trace") ? new FrameTrace(g.broker()) : null;
        for (int r = 0; r < rounds; r++) {
            int warmup = r == 0 ? warmupFirst : warmupLater;
            // CPU is counted from the second round on (the first one warms the JIT up) and less the idle use.
            boolean countCpu = rounds == 1 || r > 0;
            long driverBefore = MachineLoad.cpuNanos(driverPid);
            long brokerBefore = MachineLoad.cpuNanos(brokerPid);
            long rawStart = System.nanoTime();
            rawBlocks.add(raw.sample(warmup, runsPerRound, PAUSE_MIN_US, PAUSE_MAX_US));
            double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
            if (countCpu) {
                rawDriverCpu += MachineLoad.cpuNanos(driverPid) - driverBefore - (long) (driverIdle * rawSeconds);
                rawBrokerCpu += MachineLoad.cpuNanos(brokerPid) - brokerBefore - (long) (brokerIdle * rawSeconds);
                rawCount += warmup + runsPerRound;
            }
            for (int proposer : PROPOSERS) {
                for (int phases : new int[] {1, 2}) {
                    String tag = "n" + n + "g" + proposer + "p" + phases + "r" + r;
                    Series s = series.get(key(proposer, phases));
                    long gatewaysCpu = g.cpuNanos();
                    long brokerCpu = MachineLoad.cpuNanos(brokerPid);
                    long runStart = System.nanoTime();
                    g.gateway(proposer).configure(PROBE_PID, "run.tag=" + tag + "\nmembers=" + n + "\nwarmup="
                            + warmup + "\nruns=" + runsPerRound + "\nphases=" + phases + "\npause.min.us="
                            + PAUSE_MIN_US + "\npause.max.us=" + PAUSE_MAX_US + "\n");
                    long timeoutMs = 60_000 + (warmup + runsPerRound) * 100L;
                    String done = g.awaitFile(proposer, "done-" + tag + ".txt", timeoutMs).trim();
                    if (!done.startsWith("ok")) {
                        throw new IllegalStateException("probe run " + tag + " on gateway " + proposer + ": " + done
                                + "\n" + g.outputs());
                    }
                    collisions += Integer.parseInt(done.replaceAll(".*collisions=(\\d+).*", "$1"));
                    collect(g, proposer, tag, series, proposer == COORDINATOR ? null : trace);
                    if (countCpu) {
                        double runSeconds = (System.nanoTime() - runStart) / 1e9;
                        s.gatewaysCpu += g.cpuNanos() - gatewaysCpu - (long) (gatewaysIdle * runSeconds);
                        s.brokerCpu += MachineLoad.cpuNanos(brokerPid) - brokerCpu - (long) (brokerIdle * runSeconds);
                        s.protocols += warmup + runsPerRound + 1; // and the dump
                    }
                }
            }
        }
        if (trace != null) {
            trace.close();
            for (int phases : new int[] {1, 2}) {
                System.out.println("group over mqtt: trace, " + n + " gateways, from gateway " + PROPOSERS[0] + ", "
                        + FrameTrace.describe(phases, series.get(key(PROPOSERS[0], phases)).traced));
            }
        }
        Stats hop = Stats.of(concat(rawBlocks));
        rows.add(new Report.Row("Raw MQTT QoS 1 hop, publish→deliver, " + n + " gateways up (" + hop.count() + ")",
                Stats.time(hop.median()), Stats.time(hop.p99()), "1.00 (anchor)", "", ""));
        for (int proposer : PROPOSERS) {
            for (int phases : new int[] {1, 2}) {
                Series s = series.get(key(proposer, phases));
                int goal = phases == 1 ? 3 : 5;
                Stats told = Stats.of(toArray(s.proposer));
                Stats all = Stats.of(toArray(s.all));
                String what = phases + "-phase state change, " + n + " gateways, from "
                        + (proposer == COORDINATOR ? "the coordinator" : "gateway " + proposer);
                if (proposer != COORDINATOR) {
                    row(what + ": proposer told (" + told.count() + ")", told, hop, goal);
                }
                row(what + ": every member told (" + all.count() + ")", all, hop, goal);
                notes.add(breakdown(n, proposer, phases, s, hop));
            }
        }
        long[] medians = {hop.median(), Stats.of(toArray(series.get(key(PROPOSERS[0], 1)).all)).median(),
                Stats.of(toArray(series.get(key(PROPOSERS[0], 2)).all)).median()};
        bySize.put(n, medians);
        report.figure("mqtt.n" + n + ".hop.median", medians[0]);
        report.figure("mqtt.n" + n + ".1phase.median", medians[1]);
        report.figure("mqtt.n" + n + ".2phase.median", medians[2]);
        notes.add(String.format(Locale.ROOT, "%d gateways: raw hop mean %s, min %s, max %s; CPU per raw hop "
                + "(idle use subtracted): Mosquitto %s, the benchmark JVM (both clients) %s; gateways' idle CPU use "
                + "%.1f %% of a core altogether. %d proposals collided (retried, not counted as "
                + "samples).", n, Stats.time(hop.mean()), Stats.time(hop.min()), Stats.time(hop.max()),
                Stats.time((double) rawBrokerCpu / rawCount), Stats.time((double) rawDriverCpu / rawCount),
                gatewaysIdle / 1e7, collisions));
        System.out.printf(Locale.ROOT, "group over mqtt: %d gateways, raw hop median %s, p99 %s%n", n,
                Stats.time(hop.median()), Stats.time(hop.p99()));
    }

    /** Where the time went, from the probes' notes: coordinator told, then proposer, then the last member. */
    private static String breakdown(int n, int proposer, int phases, Series s, Stats hop) {
        Stats all = Stats.of(toArray(s.all));
        String note;
        if (proposer == COORDINATOR) {
            note = String.format(Locale.ROOT, "%d gateways, %d-phase from the coordinator: the coordinator's own "
                    + "provider was told a median %s after the proposal;", n, phases,
                    Stats.time(Stats.of(toArray(s.proposer)).median()));
        } else {
            List<Long> afterCoordinator = new ArrayList<>();
            for (int i = 0; i < s.proposer.size(); i++) {
                afterCoordinator.add(s.proposer.get(i) - s.coordinator.get(i));
            }
            long coord = Stats.of(toArray(s.coordinator)).median();
            note = String.format(Locale.ROOT, "%d gateways, %d-phase from gateway %d: the coordinator (gateway %d) "
                    + "was told a median %s after the proposal (%.1f raw hops), the proposer a median %s after the "
                    + "coordinator;", n, phases, proposer, COORDINATOR, Stats.time(coord), (double) coord / hop.median(),
                    Stats.time(Stats.of(toArray(afterCoordinator)).median()));
        }
        note += String.format(Locale.ROOT, " every member told: mean %s, max %s; %d of %d changes were still being "
                + "told when the next was proposed. CPU per change (idle use subtracted): the %d gateways together %s, "
                + "Mosquitto %s.",
                Stats.time(all.mean()), Stats.time(all.max()), s.overlaps, all.count(), n,
                Stats.time((double) s.gatewaysCpu / s.protocols), Stats.time((double) s.brokerCpu / s.protocols));
        System.out.println("group over mqtt: " + note);
        return note;
    }

    private void row(String scenario, Stats s, Stats hop, int goal) {
        double ratio = (double) s.median() / hop.median();
        rows.add(new Report.Row(scenario, Stats.time(s.median()), Stats.time(s.p99()),
                String.format(Locale.ROOT, "%.2f", ratio), "≤ " + goal + " × raw hop", ratio <= goal ? "met" : "not met"));
        System.out.printf(Locale.ROOT, "group over mqtt: %s: median %s, p99 %s, %.2f x raw hop%n", scenario,
                Stats.time(s.median()), Stats.time(s.p99()), ratio);
    }

    /** Reads one probe run's samples and every gateway's notes of it; checks they agree. */
    static void collect(Group g, int proposer, String tag, Map<Integer, Series> series, FrameTrace trace)
            throws Exception {
        List<String> run = Files.readAllLines(g.gateway(proposer).benchFile("run-" + tag + ".txt"));
        Map<Integer, Map<String, long[]>> applied = new HashMap<>(); // node -> value -> {seq, nanos}
        for (int node = 1; node <= g.size(); node++) {
            Map<String, long[]> byValue = new HashMap<>();
            for (String line : g.awaitFile(node, "applied-" + tag + ".txt", 30_000).split("\n")) {
                if (!line.isBlank()) {
                    String[] f = line.trim().split(" ");
                    byValue.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            applied.put(node, byValue);
        }
        long previousLast = 0;
        int previousPhases = 0;
        for (String line : run) {
            String[] f = line.trim().split(" ");
            int phases = Integer.parseInt(f[0]);
            String value = f[1];
            long t0 = Long.parseLong(f[2]);
            long t1 = Long.parseLong(f[3]);
            long last = Long.MIN_VALUE;
            long seq = -1;
            for (int node = 1; node <= g.size(); node++) {
                long[] a = applied.get(node).get(value);
                if (a == null) {
                    throw new IllegalStateException("gateway " + node + " was never told of " + value);
                }
                if (seq >= 0 && a[0] != seq) {
                    throw new IllegalStateException(value + " applied as seq " + seq + " and as seq " + a[0]);
                }
                if (a[1] - t0 < 0) {
                    throw new IllegalStateException("gateway " + node + " was told of " + value
                            + " before it was proposed: the gateways' clocks differ");
                }
                seq = a[0];
                last = Math.max(last, a[1]);
            }
            Series s = series.get(key(proposer, phases));
            if (previousPhases == phases && previousLast - t0 > 0) {
                s.overlaps++;
            }
            s.proposer.add(t1 - t0);
            s.all.add(last - t0);
            s.coordinator.add(applied.get(COORDINATOR).get(value)[1] - t0);
            if (trace != null) {
                List<Integer> others = IntStream.rangeClosed(1, g.size())
                        .filter(x -> x != proposer && x != COORDINATOR).boxed().toList();
                long[] split = trace.split(phases, proposer, COORDINATOR, others, t0, t1);
                if (split.length > 0) {
                    s.traced.add(split);
                }
            }
            previousLast = last;
            previousPhases = phases;
        }
    }

    // ---- failures ----

    /**
     * Kills ({@code kill -9}) or freezes ({@code kill -STOP}) the highest gateway {@code reps} times; measures until
     * the public view without it arrives; restarts it and waits for the full view again.
     */
    private void failures(Group g, boolean hang, int reps, int keepalive, int willDelay) throws Exception {
        failures(g, hang, reps, keepalive, willDelay, "");
    }

    /** @param condition what else was going on, for the row: "" or e.g. ", under a CPU-saturating load" */
    private void failures(Group g, boolean hang, int reps, int keepalive, int willDelay, String condition)
            throws Exception {
        if (reps == 0) {
            return;
        }
        int n = g.size();
        GatewayRun victim = g.gateway(n);
        long[] nanos = new long[reps];
        long[] will = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            Thread.sleep(1_000); // the rejoin's last messages and acknowledgements settle first
            long t0 = System.nanoTime();
            if (hang) {
                victim.freeze();
            } else {
                victim.kill();
            }
            List<Integer> survivors = IntStream.range(1, n).boxed().toList();
            ViewWatch.Seen gone = g.watch().await(t0, survivors::equals, 60_000).orElseThrow(() ->
                    new IllegalStateException("no failure-leave of gateway " + n + " within 60 s; last view "
                            + g.watch().last()));
            nanos[rep] = gone.nanos() - t0;
            will[rep] = g.watch().offline(n, t0).map(st -> st.nanos() - t0).orElse(-1L);
            System.out.printf(Locale.ROOT, "group over mqtt: %s of gateway %d of %d (keepalive %d s, will delay %d s): "
                    + "its will after %s, the view without it after %s%n", hang ? "SIGSTOP" : "kill -9", n, n,
                    keepalive, willDelay, seconds(will[rep]), seconds(nanos[rep]));
            if (hang) {
                victim.kill();
            }
            g.restart(n);
        }
        Stats s = Stats.of(nanos);
        long goalNanos = keepalive * 1_500_000_000L;
        String what = hang ? "SIGSTOP (hang, sockets open)" : "kill -9";
        String scenario = what + " → failure-leave in the public view, " + n + " gateways, keepalive " + keepalive
                + " s / will delay " + willDelay + " s" + (keepalive == DEFAULT_KEEPALIVE_S ? " (defaults)" : "")
                + condition;
        rows.add(new Report.Row(scenario + " (" + s.count() + ")", seconds(s.median()), seconds(s.p99()), "",
                "≤ 1.5 × keepalive = " + seconds(goalNanos), s.p99() <= goalNanos ? "met" : "not met"));
        if (!hang && keepalive == KEEPALIVE_S && (n == sizes[0] || !condition.isEmpty())) {
            detection.put(scenario + ", worst of " + s.count(), s.p99());
        }
        report.figure("mqtt.n" + n + "." + (hang ? "hang" : "kill") + ".k" + keepalive + (condition.isEmpty() ? ""
                : ".load") + ".median", s.median());
        List<String> each = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            each.add(seconds(nanos[rep]) + " (will " + seconds(will[rep]) + ")");
        }
        notes.add(String.format(Locale.ROOT, "%s, %d gateways, keepalive %d s / will delay %d s, each repetition, "
                + "with when the broker published the gateway's will (its offline status): %s.", what, n, keepalive,
                willDelay, String.join(", ", each)));
        if (hang) {
            // Where the time goes after a hang: the broker, not the gateways (the view follows the will by ~0.3 s)
            notes.add(String.format(Locale.ROOT, "SIGSTOP: the broker publishes a hung gateway's will between"
                    + " 1.5 × keepalive and 1.5 × keepalive + 6 s after its last packet, plus the will delay (%d–%d s"
                    + " here): Mosquitto 2.0 looks for expired keepalives only once every 6 s, on a 1-second clock"
                    + " (keepalive__check in src/keepalive.c, `last_keepalive_check + 5 < now`); Mosquitto 2.1 expires"
                    + " each client on time. A kill -9 closes the socket, so the broker knows at once.",
                    keepalive * 3 / 2 + willDelay, keepalive * 3 / 2 + 6 + willDelay));
        }
    }

    /**
     * A CPU-saturating load (one busy-looping process per core, at the gateways' own priority) for a while, with
     * 1-phase changes running: no gateway may be suspected meanwhile (no view without it, no offline status); then
     * kill -9 under the same load is still noticed within the goal.
     */
    private void underLoad(Group g) throws Exception {
        int n = g.size();
        List<Integer> all = IntStream.rangeClosed(1, n).boxed().toList();
        int cores = Runtime.getRuntime().availableProcessors();
        List<Process> burners = new ArrayList<>();
        try {
            for (int i = 0; i < cores; i++) {
                burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true).start());
            }
            long t0 = System.nanoTime();
            String tag = "load" + n;
            int runs = (int) (loadSeconds * 100);
            int proposer = PROPOSERS[0];
            g.gateway(proposer).configure(PROBE_PID, "run.tag=" + tag + "\nmembers=" + n + "\nwarmup=0\nruns=" + runs
                    + "\nphases=1\npause.min.us=" + PAUSE_MIN_US + "\npause.max.us=" + PAUSE_MAX_US + "\n");
            String done = g.awaitFile(proposer, "done-" + tag + ".txt", 120_000 + runs * 200L).trim();
            if (!done.startsWith("ok")) {
                throw new IllegalStateException("probe run " + tag + " under load: " + done + "\n" + g.outputs());
            }
            long t1 = System.nanoTime();
            Map<Integer, Series> series = new HashMap<>();
            series.put(key(proposer, 1), new Series());
            collect(g, proposer, tag, series, null);
            Stats changes = Stats.of(toArray(series.get(key(proposer, 1)).all));
            long suspected = g.watch().between(t0, t1).stream().filter(v -> !v.nodes().equals(all)).count();
            long offline = g.watch().statusesBetween(t0, t1).stream().filter(st -> !st.online()).count();
            rows.add(new Report.Row("False suspicions during " + String.format(Locale.ROOT, "%.0f", (t1 - t0) / 1e9)
                    + " s of CPU-saturating load (" + cores + " busy processes), " + n + " gateways, keepalive "
                    + KEEPALIVE_S + " s, " + changes.count() + " 1-phase changes meanwhile", suspected + " views "
                    + "without a live member, " + offline + " offline statuses", "", "", "0", suspected == 0
                    && offline == 0 ? "met" : "not met"));
            loadSummary = new Report.Row("No false suspicion under a CPU-saturating load (" + n + " gateways, "
                    + String.format(Locale.ROOT, "%.0f", (t1 - t0) / 1e9) + " s, keepalive " + KEEPALIVE_S + " s)",
                    suspected + " views without a live member, " + offline + " offline statuses", "", "", "0",
                    suspected == 0 && offline == 0 ? "met" : "not met");
            notes.add(String.format(Locale.ROOT, "Under the CPU-saturating load, 1-phase changes from gateway %d to "
                    + "every member of %d: median %s, p99 %s (%d changes).", proposer, n, Stats.time(changes.median()),
                    Stats.time(changes.p99()), changes.count()));
            failures(g, false, loadKillReps, KEEPALIVE_S, WILL_DELAY_S, ", under a CPU-saturating load");
        } finally {
            burners.forEach(Process::destroyForcibly);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static long[] concat(List<long[]> blocks) {
        return blocks.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The gateways of one run, nodes 1..n, formed into group {@value #GROUP}. */
    static final class Group implements AutoCloseable {
        private final List<GatewayRun> gateways = new ArrayList<>();
        private final ViewWatch watch;
        private final String broker;

        Group(Path jar, Path probe, Path root, int n, int keepalive, int willDelay, String broker, ViewWatch watch)
                throws Exception {
            this.watch = watch;
            this.broker = broker;
            long t0 = System.nanoTime();
            try {
                for (int node = 1; node <= n; node++) {
                    GatewayRun g = new GatewayRun(jar, probe, root.resolve("g" + node), node, broker, keepalive,
                            willDelay);
                    gateways.add(g);
                    g.start();
                }
                for (GatewayRun g : gateways) {
                    g.awaitReady(120, TimeUnit.SECONDS);
                }
                awaitFull(t0);
            } catch (Exception | Error e) {
                close();
                throw e;
            }
            System.out.printf(Locale.ROOT, "group over mqtt: %d gateways formed group %s in %.1f s%n", n, GROUP,
                    (System.nanoTime() - t0) / 1e9);
        }

        int size() {
            return gateways.size();
        }

        String broker() {
            return broker;
        }

        /** @return the CPU time all gateway processes have used so far */
        long cpuNanos() {
            return gateways.stream().mapToLong(g -> MachineLoad.cpuNanos(g.pid())).sum();
        }

        GatewayRun gateway(int node) {
            return gateways.get(node - 1);
        }

        ViewWatch watch() {
            return watch;
        }

        void restart(int node) throws Exception {
            long t0 = System.nanoTime();
            gateway(node).start();
            gateway(node).awaitReady(120, TimeUnit.SECONDS);
            awaitFull(t0);
        }

        private void awaitFull(long after) throws Exception {
            List<Integer> all = IntStream.rangeClosed(1, size()).boxed().toList();
            if (watch.await(after, all::equals, 120_000).isEmpty()) {
                throw new IllegalStateException("group " + GROUP + " never had members " + all + "; last view "
                        + watch.last() + "\n" + outputs());
            }
        }

        String awaitFile(int node, String name, long timeoutMs) throws Exception {
            Path file = gateway(node).benchFile(name);
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (!Files.exists(file)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("gateway " + node + " never wrote " + file + "\n" + outputs());
                }
                Thread.sleep(50);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }

        String outputs() {
            StringBuilder out = new StringBuilder();
            for (GatewayRun g : gateways) {
                out.append("---- gateway ").append(g.node()).append(" (").append(g.home()).append(") ----\n");
                try {
                    String o = g.output();
                    out.append(o, Math.max(0, o.length() - 4_000), o.length()).append('\n');
                    Path log = g.home().resolve("data/log/edgeha0.log");
                    if (Files.exists(log)) {
                        String l = Files.readString(log);
                        out.append("-- log tail --\n").append(l, Math.max(0, l.length() - 6_000), l.length());
                    }
                } catch (IOException e) {
                    out.append(e).append('\n');
                }
            }
            return out.toString();
        }

        @Override
        public void close() throws InterruptedException {
            if (Boolean.getBoolean("edgeha.bench.trace")) {
                for (GatewayRun g : gateways) {
                    if (g.isAlive()) {
                        System.out.println("group over mqtt: CPU of gateway " + g.node() + "'s busiest threads (Linux "
                                + "names, 15 characters): " + MachineLoad.busiestThreads(g.pid(), 10));
                    }
                }
            }
            gateways.forEach(GatewayRun::terminate);
            for (GatewayRun g : gateways) {
                g.close();
            }
        }
    }
}
