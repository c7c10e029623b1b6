package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.edgeha.testing.broker.BrokerFixture;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * A small gateway's budget (issue 18): the gateway in a cgroup v1 limited to 0.25 of one CPU (25 ms per 100 ms) and
 * 128 MiB, like a Raspberry-Pi-class box. Start to ready, RSS and OOM kills beside the Felix + SCR floor and Karaf
 * minimal under the same budget (set up as in {@link FootprintBenchmarks}); a 3-gateway group's 1-phase and 2-phase
 * latency first with every member unconstrained, then with gateway 3 constrained, in the same run (the probe runs of
 * {@link GroupOverMqttBenchmarks}); and the time the gateways need to be back online after the broker restarts.
 */
final class SmallGatewayBenchmarks {

    static final String TITLE = "Small gateway: 0.25 CPU, 128 MiB";
    static final long QUOTA_US = 25_000;
    static final long PERIOD_US = 100_000;
    static final long MEMORY_BYTES = 128L << 20;
    private static final long GOAL_STARTUP_NANOS = 4_000_000_000L;
    private static final double GOAL_LATENCY_RATIO = 2.0;
    private static final long RSS_AFTER_READY_MS = 3_000;
    private static final int PROPOSER = 2;
    private static final int CONSTRAINED = 3;

    /** One start of one system in its own cgroup. */
    record Sample(long startupNanos, long cpuNanos, long rssBytes, long hwmBytes, long cgroupPeakBytes, long oomKills,
            long failcnt, long throttled) {
    }

    private final boolean quick;
    private final int edgehaReps;
    private final int felixReps;
    private final int karafReps;
    private final int warmup;
    private final int runs;
    private final int recoveryReps;
    private final List<Sample> edgeha = new ArrayList<>();
    private final List<Sample> felix = new ArrayList<>();
    private final List<Sample> karaf = new ArrayList<>();
    /** bin/edgeha of the jlink runtime tarball, a fresh home: the first start of an installed gateway. */
    private final List<Sample> installedFirst = new ArrayList<>();
    /** The start after it, on the same home: with the class data archive the first clean stop made. */
    private final List<Sample> installedLater = new ArrayList<>();
    private final List<String> karafFailures = new ArrayList<>();
    /** exec → exit of {@code java -version} under the budget: the JVM's own share of every start. */
    private final List<Long> jvmAlone = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Report.Row> rows = new ArrayList<>();
    private final List<Report.Row> summary = new ArrayList<>();

    SmallGatewayBenchmarks(boolean quick) {
        this.quick = quick;
        this.edgehaReps = quick ? 2 : 7;
        this.felixReps = quick ? 1 : 5;
        this.karafReps = quick ? 1 : 3;
        this.warmup = quick ? 20 : 100;
        this.runs = quick ? 50 : 300;
        this.recoveryReps = quick ? 1 : 5;
    }

    void run(Report report) throws Exception {
        Optional<String> noCgroups = Cgroup.unavailable();
        if (noCgroups.isPresent()) {
            // Not a failure: the scenario needs root and cgroup v1; the report then has no section for it.
            System.out.println("small: skipped, " + noCgroups.get());
            return;
        }
        Path jar = Path.of(System.getProperty("edgeha.gateway.jar", "gateway-distro/target/edgeha-gateway.jar"));
        Optional<Path> probe = GroupOverMqttBenchmarks.probeJar();
        Path peers = FootprintBenchmarks.peersFolder();
        List<Path> felixJars = FootprintBenchmarks.files(peers.resolve("felix"), ".jar");
        List<Path> felixBundles = FootprintBenchmarks.files(peers.resolve("felix/bundles"), ".jar");
        List<Path> karafTars = FootprintBenchmarks.files(peers, ".tar.gz");
        if (!Files.isRegularFile(jar) || probe.isEmpty() || felixJars.size() != 1 || karafTars.size() != 1) {
            report.section(TITLE, "Not measured: build first (`mvn package -DskipTests -pl benchmarks -am`); looked for "
                    + jar + ", the probe, the Felix jars and the Karaf tar.gz in " + peers + ".", List.of(), "");
            return;
        }
        Path root = Files.createTempDirectory("edgeha-bench-small-");
        String loadBefore = MachineLoad.now();
        long started = System.nanoTime();
        try (BrokerFixture broker = GroupOverMqttBenchmarks.startMosquitto()) {
            footprint(jar, felixJars.get(0), felixBundles, karafTars.get(0), broker.uri(), root);
            group(jar, probe.get(), broker, root.resolve("group"));
        } finally {
            GroupOverMqttBenchmarks.deleteTree(root);
        }
        notes.add(String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s); the unconstrained "
                + "processes, Mosquitto and this JVM share its %d cores (other engineers' builds too).", loadBefore,
                MachineLoad.now(), (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors()));
        report.section(TITLE, setup(), rows, "- " + String.join("\n- ", notes));
        summary.forEach(report::summary);
    }

    // ---- start-up and memory under the budget, beside the floor and Karaf ----

    private void footprint(Path jar, Path felixJar, List<Path> felixBundles, Path karafTar, String broker, Path root)
            throws Exception {
        int reps = Math.max(edgehaReps, Math.max(felixReps, karafReps));
        for (int i = 0; i < reps; i++) {
            if (i < edgehaReps) {
                Path home = Files.createDirectories(root.resolve("edgeha-" + i));
                List<String> command = java();
                command.addAll(List.of("-jar", jar.toString(), "--edgeha.home=" + home, "--edgeha.node=1",
                        "--edgeha.domain=small", "--edgeha.broker=" + broker, "--edgeha.console=false"));
                edgeha.add(measure(command, home, Map.of(), p -> p.awaitLine("EdgeHA gateway ready: node 1,", 120,
                        TimeUnit.SECONDS)));
            }
            if (i < edgehaReps) {
                jvmAlone.add(jvmVersion(root));
            }
            if (i < felixReps) {
                Path dir = Files.createDirectories(root.resolve("felix-" + i));
                List<String> command = java();
                command.addAll(List.of("-cp", felixJar + java.io.File.pathSeparator + FootprintBenchmarks.ownClasses(),
                        FelixFloor.class.getName(), dir.resolve("cache").toString()));
                felixBundles.forEach(b -> command.add(b.toString()));
                felix.add(measure(command, dir, Map.of(), p -> p.awaitLine(FelixFloor.READY, 120, TimeUnit.SECONDS)));
            }
            if (i < karafReps) {
                Path home = FootprintBenchmarks.unpack(karafTar, root.resolve("karaf-" + i));
                int ssh = FootprintBenchmarks.freePort();
                KarafSetup.isolate(home, ssh, FootprintBenchmarks.freePort(), FootprintBenchmarks.freePort());
                Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "EXTRA_JAVA_OPTS",
                        String.join(" ", GatewayRun.JVM_OPTIONS));
                try {
                    karaf.add(measure(List.of(home.resolve("bin/karaf").toString(), "server"), home, env,
                            p -> p.awaitPort(ssh, 300, TimeUnit.SECONDS)));
                } catch (IllegalStateException | IOException e) {
                    karafFailures.add(e.getMessage().lines().findFirst().orElse(e.toString()));
                }
                GroupOverMqttBenchmarks.deleteTree(home);
            }
            System.out.printf(Locale.ROOT, "small: start-up repetition %d of %d done%n", i + 1, reps);
        }
        installed(broker, root);
        Stats es = stats(edgeha, Sample::startupNanos);
        Stats fs = stats(felix, Sample::startupNanos);
        Stats ks = stats(karaf, Sample::startupNanos);
        Stats erss = stats(edgeha, Sample::rssBytes);
        Stats frss = stats(felix, Sample::rssBytes);
        long oom = edgeha.stream().mapToLong(Sample::oomKills).sum();
        rows.add(new Report.Row("EdgeHA, exec → ready line, fresh home (" + es.count() + ")", Stats.time(es.median()),
                Stats.time(es.p99()), ratio(es.median(), fs.median()), "≤ 4 s", met(es.median() <= GOAL_STARTUP_NANOS)));
        rows.add(timeRow("EdgeHA, CPU time used by then (user + system)", stats(edgeha, Sample::cpuNanos)));
        Stats firstStats = stats(installedFirst, Sample::startupNanos);
        Stats laterStats = stats(installedLater, Sample::startupNanos);
        if (laterStats.count() > 0) {
            rows.add(new Report.Row("EdgeHA installed (`bin/edgeha`, jlink runtime), first start, fresh home ("
                    + firstStats.count() + ")", Stats.time(firstStats.median()), Stats.time(firstStats.p99()),
                    ratio(firstStats.median(), stats(felix, Sample::startupNanos).median()), "", ""));
            rows.add(timeRow("EdgeHA installed, first start, CPU time used by then", stats(installedFirst, Sample::cpuNanos)));
            rows.add(new Report.Row("EdgeHA installed, the next start (class data archive of the first clean stop) ("
                    + laterStats.count() + ")", Stats.time(laterStats.median()), Stats.time(laterStats.p99()),
                    ratio(laterStats.median(), stats(felix, Sample::startupNanos).median()), "≤ 4 s",
                    met(laterStats.median() <= GOAL_STARTUP_NANOS)));
            rows.add(timeRow("EdgeHA installed, the next start, CPU time used by then",
                    stats(installedLater, Sample::cpuNanos)));
            rows.add(bytesRow("EdgeHA installed, the next start, VmRSS " + RSS_AFTER_READY_MS / 1000 + " s after ready",
                    stats(installedLater, Sample::rssBytes), ""));
        }
        rows.add(timeRow("The JVM alone, `java -version` with the same flags, exec → exit",
                Stats.of(toArray(jvmAlone))));
        rows.add(new Report.Row("Felix + SCR floor, exec → all bundles ACTIVE (" + fs.count() + ")",
                Stats.time(fs.median()), Stats.time(fs.p99()), "1.00 (floor)", "", ""));
        rows.add(timeRow("Felix + SCR floor, CPU time used by then", stats(felix, Sample::cpuNanos)));
        rows.add(ks.count() == 0 ? new Report.Row("Karaf minimal, exec → ssh port listening (0)", "not measured", "", "",
                "", "") : new Report.Row("Karaf minimal, exec → ssh port listening (" + ks.count() + ")",
                Stats.time(ks.median()), Stats.time(ks.p99()), ratio(ks.median(), fs.median()), "", ""));
        if (ks.count() > 0) {
            rows.add(timeRow("Karaf minimal, CPU time used by then", stats(karaf, Sample::cpuNanos)));
        }
        String after = " " + RSS_AFTER_READY_MS / 1000 + " s after ready";
        rows.add(bytesRow("EdgeHA VmRSS" + after, erss, ratio(erss.median(), frss.median())));
        rows.add(bytesRow("EdgeHA cgroup peak (memory.max_usage_in_bytes, page cache included)",
                stats(edgeha, Sample::cgroupPeakBytes), ""));
        rows.add(new Report.Row("EdgeHA OOM kills in " + edgeha.size() + " starts (memory.oom_control)",
                Long.toString(oom), "", "failcnt " + edgeha.stream().mapToLong(Sample::failcnt).sum(), "no OOM kill",
                met(oom == 0)));
        rows.add(bytesRow("Felix + SCR floor VmRSS" + after, frss, "1.00 (floor)"));
        if (ks.count() > 0) {
            Stats krss = stats(karaf, Sample::rssBytes);
            rows.add(bytesRow("Karaf minimal VmRSS" + after + " (its JVM)", krss, ratio(krss.median(), frss.median())));
            rows.add(new Report.Row("Karaf minimal OOM kills in " + karaf.size() + " starts",
                    Long.toString(karaf.stream().mapToLong(Sample::oomKills).sum()), "",
                    "failcnt " + karaf.stream().mapToLong(Sample::failcnt).sum(), "", ""));
        }
        Stats jvm = Stats.of(toArray(jvmAlone));
        Stats ecpu = stats(edgeha, Sample::cpuNanos);
        Stats fcpu = stats(felix, Sample::cpuNanos);
        notes.add(String.format(Locale.ROOT, "Where EdgeHA's start-up goes: it is CPU-bound under the quota, where "
                + "every 1 s of CPU becomes at least 4 s of wall time (the quota throttled it a median %d times, "
                + "cpu.stat nr_throttled; the JVM sees one processor in the cgroup, so its compiler and GC threads "
                + "share that quarter too). It used a median %s of CPU to its ready line: the JVM alone "
                + "(`java -version`) takes %s of wall time under the budget, the Felix + SCR floor %s of CPU (%s "
                + "wall), and the rest, %s of CPU, is EdgeHA's own: the bnd launcher unpacking the embedded bundles, "
                + "Felix installing, resolving and starting about 30 of them, class loading and the client "
                + "compiler, SCR activating the components, the MQTT connection. The ≤ 4 s goal needs about 1 s "
                + "of CPU to ready. Ranges: EdgeHA %s, Felix %s, Karaf %s.", stats(edgeha, Sample::throttled).median(),
                Stats.time(ecpu.median()), Stats.time(jvm.median()), Stats.time(fcpu.median()),
                Stats.time(fs.median()), Stats.time(Math.max(0, ecpu.median() - fcpu.median())), range(es), range(fs),
                range(ks)));
        notes.add("The cgroup's peak can be below VmRSS: file pages the JVM maps (libjvm, the JDK's modules) that "
                + "another process read first stay charged to that process's cgroup; VmRSS counts them all.");
        if (!karafFailures.isEmpty()) {
            notes.add("Karaf failed to start " + karafFailures.size() + " time(s): " + String.join("; ", karafFailures));
        }
        System.out.println("small: EdgeHA " + Stats.time(es.median()) + " / " + mib(erss.median()) + " (OOM kills "
                + oom + "), Felix " + Stats.time(fs.median()) + ", Karaf " + Stats.time(ks.median()));
        summary.add(new Report.Row("Start-up under 0.25 CPU, 128 MiB, `java -jar` on a fresh home (" + es.count()
                + " starts)", Stats.time(es.median()), Stats.time(es.p99()), ratio(es.median(), fs.median())
                + " × Felix floor", "≤ 4 s", met(es.median() <= GOAL_STARTUP_NANOS)));
        if (laterStats.count() > 0) {
            summary.add(new Report.Row("Start-up under 0.25 CPU, 128 MiB, installed service (`bin/edgeha`, jlink "
                    + "runtime), every start after the first (" + laterStats.count() + " starts)",
                    Stats.time(laterStats.median()), Stats.time(laterStats.p99()), ratio(laterStats.median(),
                    fs.median()) + " × Felix floor", "≤ 4 s", met(laterStats.median() <= GOAL_STARTUP_NANOS)));
        }
        long installedOom = installedFirst.stream().mapToLong(Sample::oomKills).sum()
                + installedLater.stream().mapToLong(Sample::oomKills).sum();
        oom += installedOom;
        summary.add(new Report.Row("OOM kills under 128 MiB", Long.toString(oom), "", "", "none", met(oom == 0)));
    }

    /**
     * The gateway as a small box runs it: {@code bin/edgeha} of the jlink runtime tarball (no JDK needed), a fresh
     * home each repetition; started, stopped cleanly (its JVM then writes the class data archive), and started again.
     */
    private void installed(String broker, Path root) throws Exception {
        String tarball = System.getProperty("edgeha.gateway.runtimeTarball", "");
        if (tarball.isEmpty() || !Files.isRegularFile(Path.of(tarball))) {
            notes.add("The installed gateway (bin/edgeha of the jlink runtime tarball) was not measured: no tarball at '"
                    + tarball + "' (built by packaging/; benchmarks/run builds it).");
            return;
        }
        Path dist = FootprintBenchmarks.unpack(Path.of(tarball), root.resolve("installed"));
        List<String> command = List.of(dist.resolve("bin/edgeha").toString(), "--edgeha.node=1",
                "--edgeha.domain=small", "--edgeha.broker=" + broker, "--edgeha.console=false");
        for (int i = 0; i < edgehaReps; i++) {
            GroupOverMqttBenchmarks.deleteTree(dist.resolve("data"));
            installedFirst.add(measure(command, dist, Map.of(), p -> p.awaitLine("EdgeHA gateway ready: node 1,", 120,
                    TimeUnit.SECONDS), true));
            installedLater.add(measure(command, dist, Map.of(), p -> p.awaitLine("EdgeHA gateway ready: node 1,", 120,
                    TimeUnit.SECONDS), true));
            System.out.printf(Locale.ROOT, "small: installed gateway, repetition %d of %d done%n", i + 1, edgehaReps);
        }
    }

    /** Waits for a process's ready signal. */
    private interface Ready {
        long await(MeasuredProcess p) throws Exception;
    }

    private Sample measure(List<String> command, Path dir, Map<String, String> env, Ready ready) throws Exception {
        return measure(command, dir, env, ready, false);
    }

    /** @param stopCleanly whether to stop the process with SIGTERM and wait for its exit (else SIGKILL) */
    private Sample measure(List<String> command, Path dir, Map<String, String> env, Ready ready, boolean stopCleanly)
            throws Exception {
        try (Cgroup cgroup = new Cgroup(QUOTA_US, PERIOD_US, MEMORY_BYTES)) {
            Sample sample;
            try (MeasuredProcess p = MeasuredProcess.start(cgroup.wrap(command), dir, env, dir.resolve("console.log"))) {
                long nanos = ready.await(p);
                long jvm = p.jvmPid();
                long cpu = MachineLoad.cpuNanos(jvm);
                long throttled = cgroup.throttled();
                p.sleepUntilAfterReady(RSS_AFTER_READY_MS);
                sample = new Sample(nanos, cpu, MeasuredProcess.memoryBytes(jvm, "VmRSS"),
                        MeasuredProcess.memoryBytes(jvm, "VmHWM"), cgroup.maxUsageBytes(), cgroup.oomKills(),
                        cgroup.failcnt(), throttled);
                if (stopCleanly && !p.stopCleanly(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("did not stop within 120 s of SIGTERM:\n" + p.output());
                }
            } catch (IllegalStateException e) {
                if (cgroup.oomKills() > 0) {
                    throw new IllegalStateException("killed by the OOM killer under " + mib(MEMORY_BYTES) + ": "
                            + e.getMessage(), e);
                }
                throw e;
            }
            return sample;
        }
    }

    /** @return exec → exit of {@code java <flags> -version} in a cgroup of its own, in nanoseconds */
    private static long jvmVersion(Path root) throws Exception {
        try (Cgroup cgroup = new Cgroup(QUOTA_US, PERIOD_US, MEMORY_BYTES)) {
            List<String> command = java();
            command.add("-version");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cgroup.wrap(command)).redirectErrorStream(true)
                    .redirectOutput(root.resolve("java-version.txt").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("java -version failed under the budget: "
                        + Files.readString(root.resolve("java-version.txt")));
            }
            return System.nanoTime() - t0;
        }
    }

    // ---- a group with one constrained member ----

    private void group(Path jar, Path probe, BrokerFixture broker, Path root) throws Exception {
        Map<Integer, GroupOverMqttBenchmarks.Series> free = new HashMap<>();
        Map<Integer, GroupOverMqttBenchmarks.Series> constrained = new HashMap<>();
        List<Long> recovery3 = new ArrayList<>();
        List<Long> recovery2 = new ArrayList<>();
        long restartNanos;
        Sample restartSample;
        // Closed in reverse: the gateways stop before their cgroup is removed.
        try (Cgroup cgroup = new Cgroup(QUOTA_US, PERIOD_US, MEMORY_BYTES);
                ViewWatch watch = new ViewWatch(broker.uri(), GroupOverMqttBenchmarks.GROUP);
                GroupOverMqttBenchmarks.Group g = new GroupOverMqttBenchmarks.Group(jar, probe, root, 3,
                        GroupOverMqttBenchmarks.KEEPALIVE_S, GroupOverMqttBenchmarks.WILL_DELAY_S, broker.uri(), watch)) {
            protocols(g, "free", free);
            // Gateway 3 again, now in the cgroup (a new incarnation; the group takes it back in).
            GatewayRun third = g.gateway(CONSTRAINED);
            third.close();
            third.launchThrough(cgroup::wrap);
            long t0 = System.nanoTime();
            g.restart(CONSTRAINED);
            restartNanos = System.nanoTime() - t0;
            restartSample = new Sample(restartNanos, MachineLoad.cpuNanos(third.pid()),
                    MeasuredProcess.memoryBytes(third.pid(), "VmRSS"), 0, 0, 0, 0, 0);
            protocols(g, "small", constrained);
            for (int i = 0; i < recoveryReps; i++) {
                long[] back = brokerRestart(broker, List.of(PROPOSER, CONSTRAINED));
                recovery2.add(back[0]);
                recovery3.add(back[1]);
            }
            long oom = cgroup.oomKills();
            rows.add(new Report.Row("Gateway 3 restarted into the cgroup, exec → back in the group's view (1)",
                    Stats.time(restartNanos), "", "", "", ""));
            notes.add(String.format(Locale.ROOT, "The constrained gateway 3 in the group: VmRSS %s after it rejoined, "
                    + "%s at the end, cgroup peak %s, %d OOM kills, memory.failcnt %d, throttled %d times.",
                    mib(restartSample.rssBytes()), mib(MeasuredProcess.memoryBytes(third.pid(), "VmRSS")),
                    mib(cgroup.maxUsageBytes()), oom, cgroup.failcnt(), cgroup.throttled()));
        }
        for (int phases : new int[] {1, 2}) {
            Stats f = Stats.of(toArray(free.get(GroupOverMqttBenchmarks.key(PROPOSER, phases)).all));
            Stats c = Stats.of(toArray(constrained.get(GroupOverMqttBenchmarks.key(PROPOSER, phases)).all));
            double ratio = (double) c.median() / f.median();
            rows.add(new Report.Row(phases + "-phase state change, 3 gateways, from gateway 2, every member told, all "
                    + "unconstrained (" + f.count() + ")", Stats.time(f.median()), Stats.time(f.p99()), "1.00", "", ""));
            rows.add(new Report.Row(phases + "-phase state change, same, gateway 3 constrained (" + c.count() + ")",
                    Stats.time(c.median()), Stats.time(c.p99()), String.format(Locale.ROOT, "%.2f", ratio),
                    "≤ 2 × unconstrained", met(ratio <= GOAL_LATENCY_RATIO)));
            summary.add(new Report.Row(phases + "-phase latency, one member under 0.25 CPU", Stats.time(c.median()),
                    Stats.time(c.p99()), String.format(Locale.ROOT, "%.2f × unconstrained (%s)", ratio,
                    Stats.time(f.median())), "≤ 2 ×", met(ratio <= GOAL_LATENCY_RATIO)));
            System.out.printf(Locale.ROOT, "small: %d-phase, every member told: unconstrained %s, gateway 3 "
                    + "constrained %s (%.2f x)%n", phases, Stats.time(f.median()), Stats.time(c.median()), ratio);
        }
        Stats r3 = Stats.of(toArray(recovery3));
        Stats r2 = Stats.of(toArray(recovery2));
        rows.add(new Report.Row("Broker restart → gateway 3 (constrained) online again (" + r3.count() + ")",
                Stats.time(r3.median()), Stats.time(r3.p99()), ratio(r3.median(), r2.median()), "", ""));
        rows.add(new Report.Row("Broker restart → gateway 2 (unconstrained) online again (" + r2.count() + ")",
                Stats.time(r2.median()), Stats.time(r2.p99()), "1.00", "", ""));
        notes.add("Recovery after a server restart: the private Mosquitto is killed (kill -9) and started again on "
                + "its port; timed from the broker accepting connections to each gateway's retained `online` status "
                + "arriving at a fresh subscriber (the broker, without persistence, has lost every retained message, "
                + "so it is the gateway's own reconnection): the gateway's MQTT connection is recovered by its "
                + "backoff strategy, whose retry delays are part of the figure.");
    }

    /** One probe run of 1-phase and one of 2-phase state changes proposed by gateway 2. */
    private void protocols(GroupOverMqttBenchmarks.Group g, String label, Map<Integer, GroupOverMqttBenchmarks.Series>
            series) throws Exception {
        for (int phases : new int[] {1, 2}) {
            series.put(GroupOverMqttBenchmarks.key(PROPOSER, phases), new GroupOverMqttBenchmarks.Series());
        }
        for (int phases : new int[] {1, 2}) {
            String tag = "small-" + label + "-p" + phases;
            g.gateway(PROPOSER).configure(GroupOverMqttBenchmarks.PROBE_PID, "run.tag=" + tag + "\nmembers=3\nwarmup="
                    + warmup + "\nruns=" + runs + "\nphases=" + phases + "\npause.min.us=2000\npause.max.us=8000\n");
            String done = g.awaitFile(PROPOSER, "done-" + tag + ".txt", 120_000 + (warmup + runs) * 200L).trim();
            if (!done.startsWith("ok")) {
                throw new IllegalStateException("probe run " + tag + ": " + done + "\n" + g.outputs());
            }
            GroupOverMqttBenchmarks.collect(g, PROPOSER, tag, series, null);
        }
    }

    /**
     * Kills the broker and starts it again; returns, per node, the time from the broker accepting connections to
     * that node's {@code online} status arriving at a fresh subscriber.
     */
    private static long[] brokerRestart(BrokerFixture broker, List<Integer> nodes) throws Exception {
        broker.kill();
        Thread.sleep(1_000); // down for a moment, as after a crash
        broker.restart();
        long t0 = System.nanoTime();
        Map<Integer, Long> online = new ConcurrentHashMap<>();
        MqttClient client = new MqttClient(broker.uri(), "bench-small-" + System.nanoTime(), new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
            IMqttMessageListener listener = (topic, m) -> {
                long now = System.nanoTime();
                String[] levels = topic.split("/");
                if (new String(m.getPayload(), StandardCharsets.UTF_8).contains("\"online\"")) {
                    online.putIfAbsent(Integer.parseInt(levels[levels.length - 2]), now);
                }
            };
            client.subscribe(new MqttSubscription[] {new MqttSubscription("edgeha/default/node/+/status", 1)},
                    new IMqttMessageListener[] {listener});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!online.keySet().containsAll(nodes)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("after a broker restart, gateways " + nodes + " not all online "
                            + "within 120 s: online " + online.keySet());
                }
                Thread.sleep(10);
            }
        } finally {
            close(client);
        }
        long[] result = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            result[i] = online.get(nodes.get(i)) - t0;
        }
        Thread.sleep(2_000); // the group settles (views, sessions) before the next restart
        return result;
    }

    private static void close(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // the benchmark goes on; the client is dropped
        }
    }

    private String setup() {
        return "Each process is started inside a cgroup v1 of its own (`/sys/fs/cgroup/{cpu,memory}/edgeha-bench-"
                + "<pid>-<n>`, made and removed by the benchmark; the process joins it before it execs): "
                + "`cpu.cfs_quota_us=" + QUOTA_US + "` per `cpu.cfs_period_us=" + PERIOD_US + "` (0.25 of one CPU) and "
                + "`memory.limit_in_bytes` = " + (MEMORY_BYTES >> 20) + " MiB (memory plus swap too), like a "
                + "Raspberry-Pi-class box; all with `java " + String.join(" ", GatewayRun.JVM_OPTIONS) + "` (the "
                + "service flags). **Start-up**: EdgeHA `java -jar edgeha-gateway.jar` with a fresh home and a private "
                + "Mosquitto (" + edgehaReps + " times), the Felix + SCR floor (" + felixReps + ") and Karaf minimal "
                + "4.4.8 unpacked afresh (" + karafReps + "), set up and timed as in the Footprint section (exec → ready "
                + "line, all bundles ACTIVE, ssh port listening); VmRSS " + RSS_AFTER_READY_MS / 1000 + " s after "
                + "ready; OOM kills from `memory.oom_control`. **Group**: 3 gateways unconstrained (service flags, no "
                + "cgroup) formed group `" + GroupOverMqttBenchmarks.GROUP + "`; gateway 2 proposes " + runs + " 1-phase "
                + "and " + runs + " 2-phase state changes (after " + warmup + " warm-up ones, 2–8 ms apart, the probe "
                + "bundle of the Group protocols section), timed until every member was told; then gateway 3 (a plain "
                + "member; gateway 1 coordinates) is restarted inside the cgroup and the same runs are repeated. "
                + "**Recovery**: the broker is restarted " + recoveryReps + " time(s) with gateway 3 still constrained. "
                + "Ratio: against the Felix floor (start-up, memory), the unconstrained run (latency) or gateway 2 "
                + "(recovery).";
    }

    private static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(GatewayRun.JVM_OPTIONS);
        return command;
    }

    private static Report.Row timeRow(String name, Stats s) {
        return new Report.Row(name + " (" + s.count() + ")", Stats.time(s.median()), Stats.time(s.p99()), "", "", "");
    }

    private static Report.Row bytesRow(String name, Stats s, String ratio) {
        return new Report.Row(name + " (" + s.count() + ")", mib(s.median()), mib(s.p99()), ratio, "", "");
    }

    private static Stats stats(List<Sample> samples, ToLongFunction<Sample> f) {
        return samples.isEmpty() ? new Stats(0, 0, 0, 0, 0, 0) : Stats.of(samples.stream().mapToLong(f).toArray());
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static String range(Stats s) {
        return s.count() == 0 ? "not measured" : Stats.time(s.min()) + "–" + Stats.time(s.max());
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "" : String.format(Locale.ROOT, "%.2f", value / base);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String met(boolean met) {
        return met ? "met" : "not met";
    }
}
