package org.edgeha.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.curator.framework.CuratorFramework;

/**
 * The peers users would pick instead of EdgeHA (issue 7), measured on this machine in the same run, before the
 * MQTT scenario so that its figures can be held against them: JGroups' synchronous RPC to a 5-member cluster,
 * Curator's double barrier and watched {@code setData} with 5 ZooKeeper participants, and both libraries' failure
 * detection after a {@code kill -9} of a member JVM, at their defaults and tuned. The figures are kept as
 * {@code peers.*} (nanoseconds) for the summary.
 */
final class PeerBenchmarks {

    static final String TITLE = "Peers: JGroups and ZooKeeper/Curator";
    /** As between EdgeHA's state changes over MQTT: one at a time, after a random pause. */
    private static final int PAUSE_MIN_US = 2_000;
    private static final int PAUSE_MAX_US = 8_000;
    /** The session timeout of a tuned ZooKeeper participant, as EdgeHA's tuned MQTT keepalive. */
    private static final int TUNED_SESSION_MS = 4_000;
    /** Curator's default session timeout; a repetition at it takes over a minute. */
    private static final int DEFAULT_SESSION_MS = 60_000;
    private static final int FULL_TUNED_REPS = 5;
    private static final int FULL_DEFAULT_REPS = 3;

    private final boolean quick;
    private final int warmup;
    private final int samples;
    private final int barrierWarmup;
    private final int barrierRounds;
    private final int tunedReps;
    private final int defaultReps;
    private final List<Report.Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    PeerBenchmarks(boolean quick) {
        this.quick = quick;
        this.warmup = quick ? 100 : 500;
        this.samples = quick ? 300 : 3_000;
        this.barrierWarmup = quick ? 50 : 200;
        this.barrierRounds = quick ? 200 : 2_000;
        this.tunedReps = quick ? 1 : FULL_TUNED_REPS;
        this.defaultReps = quick ? 1 : FULL_DEFAULT_REPS;
    }

    void run(Report report) throws Exception {
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true"); // benchmarks/run sets it; JGroups reads it too
        }
        long started = System.nanoTime();
        String loadBefore = MachineLoad.now();

        List<Charts.Series> chart = new ArrayList<>();
        part("JGroups RPC", () -> {
            JGroupsPeers.Rpc rpc = JGroupsPeers.rpc(warmup, samples, PAUSE_MIN_US, PAUSE_MAX_US);
            Stats coord = latency("JGroups sync RPC to all 5 (incl. the caller), from the coordinator",
                    rpc.fromCoordinator(), 437_000);
            latency("JGroups sync RPC to all 5 (incl. the caller), from another member", rpc.fromOther(),
                    343_000);
            report.figure("peers.jgroups.rpc5.median", coord.median());
            report.figure("peers.jgroups.rpc5.p99", coord.p99());
            chart.add(percentiles("JGroups RPC to 5, from the coordinator", rpc.fromCoordinator()));
            chart.add(percentiles("JGroups RPC to 5, from another member", rpc.fromOther()));
        });
        part("ZooKeeper/Curator", () -> {
            try (CuratorPeers zk = new CuratorPeers()) {
                part("Curator double barrier", () -> barrier(report, zk, chart));
                part("Curator setData", () -> {
                    long[] setData = zk.setData(warmup, samples, PAUSE_MIN_US, PAUSE_MAX_US);
                    Stats d = latency("Curator setData → all 4 other participants' CuratorCache", setData,
                            1_150_000);
                    report.figure("peers.curator.setdata5.median", d.median());
                    report.figure("peers.curator.setdata5.p99", d.p99());
                    chart.add(percentiles("Curator setData → 4 caches", setData));
                });
                part("Curator kill -9, tuned", () -> curatorKill(report, "tuned",
                        zk.kill(String.valueOf(TUNED_SESSION_MS), tunedReps, 60_000),
                        "peers.curator.kill.tuned.median"));
                if (quick) {
                    notes.add("Curator kill -9 at the default session timeout (" + DEFAULT_SESSION_MS / 1000
                            + " s): not measured in quick mode, one repetition takes over 60 s; full mode runs "
                            + FULL_DEFAULT_REPS + ".");
                } else {
                    part("Curator kill -9, default", () -> curatorKill(report, "default",
                            zk.kill("default", defaultReps, DEFAULT_SESSION_MS + 60_000),
                            "peers.curator.kill.default.median"));
                }
            }
        });
        part("JGroups kill -9, default stack", () ->
                jgroupsKill(report, false, JGroupsPeers.kill(false, defaultReps, 90_000, 7810)));
        part("JGroups kill -9, tuned", () ->
                jgroupsKill(report, true, JGroupsPeers.kill(true, tunedReps, 90_000, 7820)));
        if (!chart.isEmpty()) {
            notes.add(report.chart("peers-latency", "Peers: latency by percentile (" + (quick ? "quick" : "full")
                    + " mode)", "percentile", "ms (log scale)", true, chart));
        }
        String machine = String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s); every member, "
                + "the ZooKeeper server and this JVM share its %d cores.", loadBefore, MachineLoad.now(),
                (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());
        notes.add(machine);
        System.out.println("peers: " + machine);
        report.section(TITLE, setup(), rows, "- " + String.join("\n- ", notes));
    }

    private void barrier(Report report, CuratorPeers zk, List<Charts.Series> chart) throws Exception {
        CuratorPeers.Barrier barrier = zk.barrier(barrierWarmup, barrierRounds, PAUSE_MIN_US, PAUSE_MAX_US);
        String what = "Curator DistributedDoubleBarrier, 5 participants, enter + leave";
        if (!barrier.hung().isEmpty()) {
            notes.add(String.format(Locale.ROOT, "%s: %d of %d rounds (warm-up included) hung and were abandoned "
                    + "after %d s, not counted above: %s.", what, barrier.hung().size(), barrierWarmup + barrierRounds,
                    CuratorPeers.ROUND_TIMEOUT_S, String.join("; ", barrier.hung())));
            if (barrier.hung().stream().anyMatch(h -> h.contains("still in enter()"))) {
                notes.add("A participant still in enter() past its own timeout is a race in Curator's "
                        + "DistributedDoubleBarrier.internalEnter: when the watch on the ready node has already fired "
                        + "but the participant then counts fewer children than the barrier's size (the first ones "
                        + "have already begun to leave), it waits with no timeout; the others then time out in "
                        + "leave(), waiting for its node. It shows under CPU load, when one thread is held up between "
                        + "creating its node and counting the children.");
            }
        }
        if (barrier.nanos().length == 0) {
            return;
        }
        Stats b = latency(what + (barrier.hung().isEmpty() ? "" : ", " + barrier.hung().size() + " hung rounds "
                + "left out"), barrier.nanos(), 11_500_000);
        report.figure("peers.curator.barrier5.median", b.median());
        report.figure("peers.curator.barrier5.p99", b.p99());
        chart.add(percentiles("Curator double barrier, 5", barrier.nanos()));
    }

    private interface Part {
        void run() throws Exception;
    }

    /**
     * Runs one part; if it fails, says so in the notes and goes on: a peer that breaks must not cost the run the
     * EdgeHA figures.
     */
    private void part(String name, Part part) {
        long t0 = System.nanoTime();
        try {
            part.run();
        } catch (Exception e) {
            e.printStackTrace();
            notes.add("Not measured (it failed; the smoke run checks for this): " + name + ": " + e);
        }
        System.out.printf(Locale.ROOT, "peers: %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }

    /** @return e.g. "521 ms" or "4.52 s" */
    static String duration(double nanos) {
        return nanos < 1e9 ? Stats.time(nanos) : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /**
     * A latency row, its spread in the notes.
     *
     * @param earlierMedian the median measured before on this kind of machine with the same setup, for the ratio
     */
    private Stats latency(String what, long[] nanos, long earlierMedian) {
        Stats s = Stats.of(nanos);
        rows.add(new Report.Row(what + " (" + s.count() + ")", Stats.time(s.median()), Stats.time(s.p99()),
                String.format(Locale.ROOT, "%.2f × earlier %s", (double) s.median() / earlierMedian,
                        Stats.time(earlierMedian)), "peer figure, no goal", ""));
        String spread = String.format(Locale.ROOT, "%s: min %s, max %s, mean %s, sd %s.", what, Stats.time(s.min()),
                Stats.time(s.max()), Stats.time(s.mean()), Stats.time(sd(nanos)));
        notes.add(spread);
        System.out.printf(Locale.ROOT, "peers: %s: median %s, p99 %s; %s%n", what, Stats.time(s.median()),
                Stats.time(s.p99()), spread);
        return s;
    }

    private void curatorKill(Report report, String mode, List<CuratorPeers.Kill> kills, String key) {
        String what = "Curator kill -9 of a participant JVM → its ephemeral znode's deletion seen by the 4 others, "
                + mode + " session timeout";
        if (kills.isEmpty()) {
            notes.add(what + ": no repetition saw the deletion in time (see the output).");
            return;
        }
        Stats s = killRow(what + " " + (kills.get(0).sessionMs() / 1000) + " s", kills,
                CuratorPeers.Kill::lastSurvivor, 0);
        report.figure(key, s.median());
        notes.add(String.format(Locale.ROOT, "%s: each repetition, the last watcher (the first): %s; session timeout "
                + "granted by the server %s ms. ZooKeeper expires a session one session timeout after it last heard "
                + "from the client (an idle client pings every third of it), rounded up to the next tick ("
                + CuratorPeers.TICK_MS / 1000 + " s here), so a kill is seen between about 2/3 of the timeout and a "
                + "tick more than it.", what, each(kills, CuratorPeers.Kill::lastSurvivor,
                        CuratorPeers.Kill::firstSurvivor),
                kills.stream().map(k -> String.valueOf(k.sessionMs())).distinct().toList()));
    }

    private void jgroupsKill(Report report, boolean tuned, List<JGroupsPeers.Kill> kills) {
        String mode = tuned ? "tuned (FD_ALL3 " + JGroupsPeers.TUNED_FD_ALL3_TIMEOUT + "/"
                + JGroupsPeers.TUNED_FD_ALL3_INTERVAL + " ms, VERIFY_SUSPECT2 " + JGroupsPeers.TUNED_VERIFY_SUSPECT
                + " ms)" : "default stack";
        String what = "JGroups kill -9 of a member JVM → new view at all 4 survivors, " + mode;
        if (kills.isEmpty()) {
            notes.add(what + ": no repetition saw the new view in time (see the output).");
            return;
        }
        Stats s = killRow(what, kills, JGroupsPeers.Kill::lastSurvivor, tuned ? 521_000_000 : 398_000_000);
        report.figure(tuned ? "peers.jgroups.kill.tuned.median" : "peers.jgroups.kill.default.median", s.median());
        notes.add(String.format(Locale.ROOT, "%s: each repetition, the last survivor (the coordinator): %s; "
                + "VERIFY_SUSPECT2's timeout on this stack, for comparison: %s.", what,
                each(kills, JGroupsPeers.Kill::lastSurvivor, JGroupsPeers.Kill::coordinator),
                tuned ? JGroupsPeers.TUNED_VERIFY_SUSPECT + " ms" : "1.5 s (tcp.xml)"));
    }

    /** @param earlierMedian as for {@link #latency}, or 0 if there is none */
    private <K> Stats killRow(String what, List<K> kills, ToLongFunction<K> time, long earlierMedian) {
        Stats s = Stats.of(kills.stream().mapToLong(time).toArray());
        String ratio = earlierMedian == 0 ? "" : String.format(Locale.ROOT, "%.2f × earlier %s",
                (double) s.median() / earlierMedian, duration(earlierMedian));
        rows.add(new Report.Row(what + " (" + s.count() + ")", duration(s.median()), duration(s.p99()), ratio,
                "peer figure, no goal", ""));
        return s;
    }

    private static <K> String each(List<K> kills, ToLongFunction<K> main, ToLongFunction<K> aside) {
        List<String> each = new ArrayList<>();
        for (K k : kills) {
            each.add(duration(main.applyAsLong(k)) + " (" + duration(aside.applyAsLong(k)) + ")");
        }
        return String.join(", ", each);
    }

    /** The latency at every whole percentile, 0 (the minimum) to 100 (the maximum), in ms. */
    private static Charts.Series percentiles(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double[] x = new double[101];
        double[] y = new double[101];
        for (int p = 0; p <= 100; p++) {
            x[p] = p;
            y[p] = sorted[(int) Math.round(p / 100.0 * (sorted.length - 1))] / 1e6;
        }
        return new Charts.Series(name, x, y);
    }

    private static double sd(long[] nanos) {
        double mean = Arrays.stream(nanos).average().orElse(0);
        return Math.sqrt(Arrays.stream(nanos).mapToDouble(v -> (v - mean) * (v - mean)).sum()
                / Math.max(1, nanos.length - 1));
    }

    private String setup() {
        return "The libraries a Java user would pick instead of EdgeHA, on this machine in the same run, loopback "
                + "only. *Ratio*: this run's median over the one measured earlier with the same setup on this kind "
                + "of machine (2 cores, OpenJDK 17), before this harness existed: it tells whether this run's machine "
                + "behaves like that one; the peers have no goal of their own. Every member but the "
                + "killed ones runs in the benchmark JVM; a latency series is measured one operation at a time, each "
                + "after a random " + PAUSE_MIN_US / 1000 + "–" + PAUSE_MAX_US / 1000 + " ms pause (as EdgeHA's "
                + "state changes over MQTT), after a warm-up.\n\n"
                + "**JGroups " + org.jgroups.Version.printVersion() + "**: 5 members on the stock `tcp.xml`, changed "
                + "only in TCP `bind_addr` 127.0.0.1, `bind_port` one free port per member from 7800 on with "
                + "`port_range` 0, TCPPING `initial_hosts` those 5 ports with `port_range` 0, FD_SOCK2 `bind_addr` "
                + "127.0.0.1 (it listens on every interface otherwise), and GMS "
                + "`print_local_addr` false; IPv4 (`java.net.preferIPv4Stack=" + System.getProperty(
                        "java.net.preferIPv4Stack") + "`). *RPC*: `RpcDispatcher.callRemoteMethods(null, ping(), "
                + "RequestOptions.SYNC())`, i.e. `ResponseMode.GET_ALL` to all 5 members including the caller, from "
                + "the coordinator and from another member in alternating blocks of 50, " + samples + " each after "
                + warmup + " warm-up calls.\n\n"
                + "**ZooKeeper " + org.apache.zookeeper.Version.getFullVersion().replaceAll("[-, ].*", "")
                + " with Curator " + curatorVersion() + "**: one server, Curator's `TestingServer` embedded in the "
                + "benchmark JVM (`clientPortAddress` 127.0.0.1; `tickTime` " + CuratorPeers.TICK_MS + " ms, "
                + "zoo_sample.cfg's, since TestingServer's default 3000 ms grants no session under 6 s; "
                + "`maxSessionTimeout` " + CuratorPeers.MAX_SESSION_MS / 1000 + " s, so that Curator's default "
                + "session timeout is granted as it is). 5 participants, each with its own `CuratorFramework` "
                + "(defaults, `ExponentialBackoffRetry(100, 3)`). *Double barrier*: " + barrierRounds + " rounds after "
                + barrierWarmup + ", a new `DistributedDoubleBarrier` path each round; the 5 participants' threads "
                + "are released together by a `CyclicBarrier`, and each calls `enter()` then `leave()`; from the "
                + "release to the last participant's return from `leave()`. *setData*: participant 1 calls "
                + "`setData` on a znode that the other 4 watch with a `CuratorCache` each; from the call to the last "
                + "of the 4 change events (the equivalent of EdgeHA's state change: everyone told).\n\n"
                + "**Failure detection**: the fifth member runs in a JVM of its own (`java " + String.join(" ",
                        ChildJvm.JVM_OPTIONS) + "` on the same class path, `PeerMember`) and is killed with SIGKILL "
                + "(`Process.destroyForcibly`); it is started again between repetitions, and the group settles for "
                + "1 s before each kill. *JGroups*: 4 members here, the first the coordinator (never the one killed); "
                + "until all 4 have installed a view without it, on the default stack (FD_SOCK2, FD_ALL3 40 s / 5 s, "
                + "VERIFY_SUSPECT2 1.5 s) and tuned (FD_ALL3 " + JGroupsPeers.TUNED_FD_ALL3_TIMEOUT + " / "
                + JGroupsPeers.TUNED_FD_ALL3_INTERVAL + " ms, VERIFY_SUSPECT2 " + JGroupsPeers.TUNED_VERIFY_SUSPECT
                + " ms, on every member). *Curator*: the fifth participant creates an ephemeral znode; until all 4 "
                + "others' `CuratorCache` on its parent have seen it deleted, i.e. its session expired, at Curator's "
                + "default session timeout (" + DEFAULT_SESSION_MS / 1000 + " s) and at " + TUNED_SESSION_MS / 1000
                + " s, like EdgeHA's tuned MQTT keepalive. " + (quick ? "Quick mode: 1 repetition each." : "Full "
                        + "mode: " + tunedReps + " repetitions tuned, " + defaultReps + " at the defaults.")
                + " With few repetitions, p99 is the maximum.";
    }

    /** @return e.g. "5.9.0", from the jar's name */
    private static String curatorVersion() {
        try {
            String jar = Path.of(CuratorFramework.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getFileName().toString();
            Matcher m = Pattern.compile("curator-framework-(.+)\\.jar").matcher(jar);
            return m.matches() ? m.group(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }
}
