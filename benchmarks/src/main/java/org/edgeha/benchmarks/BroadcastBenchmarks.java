package org.edgeha.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.edgeha.testing.broker.BrokerFixture;

/**
 * Provider broadcasts between real gateway processes over one private Mosquitto (issue 7): how many provider
 * messages ({@code sendMessage}, one-phase) a group of five delivers to every member per second, beside the raw
 * QoS 1 throughput of one Paho publisher and subscriber through the same broker in the same run.
 *
 * <p>The gateways and the probe are those of {@link GroupOverMqttBenchmarks}; the probe on the broadcasting
 * gateway sends one message after the other for a fixed time, each as soon as it is told the previous one was
 * approved (a group runs one protocol at a time), and every probe counts what it was told.
 */
final class BroadcastBenchmarks {

    static final String TITLE = "Provider broadcasts over Mosquitto";
    private static final int GATEWAYS = 5;
    private static final int COORDINATOR = 1;
    /** Who broadcasts: a gateway that is not the coordinator (the usual case), then the coordinator itself. */
    private static final int[] SENDERS = {2, COORDINATOR};
    private static final int MESSAGE_BYTES = 64;
    private static final double GOAL = 0.30;

    private final int rounds;
    private final int seconds;
    private final int warmup;
    private final int stopAndWaitSeconds;

    BroadcastBenchmarks(boolean quick) {
        this.rounds = quick ? 1 : 5;
        this.seconds = quick ? 4 : 10;
        this.warmup = quick ? 200 : 1_000;
        this.stopAndWaitSeconds = quick ? 2 : 5;
    }

    void run(Report report) throws Exception {
        Path jar = Path.of(System.getProperty("edgeha.gateway.jar", "gateway-distro/target/edgeha-gateway.jar"));
        Optional<Path> probe = GroupOverMqttBenchmarks.probeJar();
        if (!Files.isRegularFile(jar) || probe.isEmpty()) {
            report.section(TITLE, "Not measured: build the gateway and the probe first (`mvn package -DskipTests`); "
                    + "looked for " + jar + " and benchmarks/probe/target/org.edgeha.benchmarks.probe-*.jar.",
                    List.of(), "");
            return;
        }
        BrokerFixture broker;
        try {
            broker = GroupOverMqttBenchmarks.startMosquitto();
        } catch (IllegalStateException e) {
            report.section(TITLE, "Not measured: " + e.getMessage().lines().findFirst().orElse(""), List.of(), "");
            return;
        }
        Path root = Files.createTempDirectory("edgeha-bench-bcast-");
        long started = System.nanoTime();
        String loadBefore = MachineLoad.now();
        List<RawThroughput.Result> raw = new ArrayList<>();
        List<RawThroughput.Result> stopAndWait = new ArrayList<>();
        Map<Integer, List<double[]>> edge = new LinkedHashMap<>(); // sender -> {per second, sent, seconds} per round
        int window;
        try (broker; ViewWatch watch = new ViewWatch(broker.uri(), GroupOverMqttBenchmarks.GROUP);
                RawThroughput tput = new RawThroughput(broker.uri());
                GroupOverMqttBenchmarks.Group g = new GroupOverMqttBenchmarks.Group(jar, probe.get(),
                        root.resolve("n" + GATEWAYS), GATEWAYS, GroupOverMqttBenchmarks.KEEPALIVE_S,
                        GroupOverMqttBenchmarks.WILL_DELAY_S, broker.uri(), watch)) {
            window = tput.window();
            tput.run(1, window); // warms the clients and the broker up
            for (int r = 0; r < rounds; r++) {
                raw.add(raw(tput, seconds, window));
                stopAndWait.add(raw(tput, stopAndWaitSeconds, 1));
                for (int sender : SENDERS) {
                    edge.computeIfAbsent(sender, k -> new ArrayList<>()).add(broadcast(g, sender, r));
                }
            }
        } finally {
            GroupOverMqttBenchmarks.deleteTree(root);
        }
        String machine = String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s); the "
                + "gateways, Mosquitto and this JVM share its %d cores.", loadBefore, MachineLoad.now(),
                (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());
        report(report, raw, stopAndWait, edge, window, machine);
    }

    private static RawThroughput.Result raw(RawThroughput tput, double seconds, int window) throws Exception {
        RawThroughput.Result res = tput.run(seconds, window);
        System.out.printf(Locale.ROOT, "broadcast: raw QoS 1, window %d: %d published, %d delivered in %.2f s = "
                + "%.0f/s, %d lost, %d duplicates, %d failed%n", res.window(), res.published(), res.delivered(),
                res.seconds(), res.perSecond(), res.lost(), res.duplicates(), res.failed());
        return res;
    }

    /** @return broadcasts delivered to every member per second, broadcasts sent, and the seconds they took */
    private double[] broadcast(GroupOverMqttBenchmarks.Group g, int sender, int round) throws Exception {
        String tag = "bc" + "g" + sender + "r" + round;
        g.gateway(sender).configure(GroupOverMqttBenchmarks.PROBE_PID, "run.tag=" + tag + "\nmembers=" + GATEWAYS
                + "\nwarmup=" + warmup + "\nbroadcast.s=" + seconds + "\nmessage.bytes=" + MESSAGE_BYTES + "\n");
        String done = g.awaitFile(sender, "done-" + tag + ".txt", 120_000L + seconds * 1_000L).trim();
        if (!done.startsWith("ok")) {
            throw new IllegalStateException("probe run " + tag + " on gateway " + sender + ": " + done + "\n"
                    + g.outputs());
        }
        long[] sent = fields(g.awaitFile(sender, "broadcast-" + tag + ".txt", 30_000));
        long count = sent[0];
        long first = sent[1];
        long lastAll = Long.MIN_VALUE;
        for (int node = 1; node <= g.size(); node++) {
            String line = g.awaitFile(node, "received-" + tag + ".txt", 30_000).trim();
            long[] got = fields(line);
            if (got[0] != count || !line.endsWith(" in-order")) {
                throw new IllegalStateException("gateway " + node + " was told of " + got[0] + " of " + count
                        + " broadcasts of " + tag + " (" + line + ")");
            }
            lastAll = Math.max(lastAll, got[2]);
        }
        double secs = (lastAll - first) / 1e9;
        double perSecond = count / secs;
        System.out.printf(Locale.ROOT, "broadcast: from gateway %d: %d broadcasts to all %d members in %.2f s = "
                + "%.0f/s (%d collisions)%n", sender, count, g.size(), secs, perSecond, sent[3]);
        return new double[] {perSecond, count, secs};
    }

    private static long[] fields(String line) {
        String[] f = line.trim().split(" ");
        long[] v = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i].matches("-?\\d+") ? Long.parseLong(f[i]) : 0;
        }
        return v;
    }

    private void report(Report report, List<RawThroughput.Result> raw, List<RawThroughput.Result> stopAndWait,
            Map<Integer, List<double[]>> edge, int window, String machine) {
        List<Report.Row> rows = new ArrayList<>();
        double rawMedian = median(raw.stream().mapToDouble(RawThroughput.Result::perSecond).toArray());
        long lost = raw.stream().mapToLong(RawThroughput.Result::lost).sum();
        long duplicates = raw.stream().mapToLong(RawThroughput.Result::duplicates).sum();
        long published = raw.stream().mapToLong(RawThroughput.Result::published).sum();
        rows.add(new Report.Row(String.format(Locale.ROOT, "Raw MQTT QoS 1, one publisher → one subscriber, window %d "
                + "(%d × %d s): delivered/s", window, raw.size(), seconds), perSecond(rawMedian), "",
                "1.00 (anchor)", "none lost", lost == 0 ? "met" : "not met: " + lost + " lost"));
        report.figure("broadcast.raw.per.s", rawMedian);
        double oneMedian = median(stopAndWait.stream().mapToDouble(RawThroughput.Result::perSecond).toArray());
        long oneLost = stopAndWait.stream().mapToLong(RawThroughput.Result::lost).sum();
        rows.add(new Report.Row(String.format(Locale.ROOT, "Raw MQTT QoS 1, stop-and-wait (window 1, %d × %d s): "
                + "delivered/s", stopAndWait.size(), stopAndWaitSeconds), perSecond(oneMedian), "",
                String.format(Locale.ROOT, "%.1f %%", oneMedian / rawMedian * 100), "",
                oneLost == 0 ? "" : oneLost + " lost"));
        report.figure("broadcast.raw.stop.and.wait.per.s", oneMedian);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Raw QoS 1: %d published in all, %d lost, %d delivered twice; "
                + "per round: %s.", published, lost, duplicates, String.join(", ", raw.stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f/s (%d)", r.perSecond(), r.delivered())).toList())));
        Report.Row headline = null;
        for (Map.Entry<Integer, List<double[]>> e : edge.entrySet()) {
            int sender = e.getKey();
            double[] rates = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            double median = median(rates);
            double ratio = median / rawMedian;
            String who = sender == COORDINATOR ? "the coordinator (gateway " + COORDINATOR + ")" : "gateway " + sender;
            Report.Row row = new Report.Row(String.format(Locale.ROOT, "EdgeHA provider broadcasts from %s to all %d "
                    + "members (%d × %d s): delivered/s", who, GATEWAYS, rates.length, seconds), perSecond(median), "",
                    String.format(Locale.ROOT, "%.1f %%", ratio * 100), "≥ " + Math.round(GOAL * 100) + " % of raw",
                    ratio >= GOAL ? "met" : "not met");
            rows.add(row);
            if (headline == null) {
                headline = row;
                report.figure("broadcast.edgeha.per.s", median);
            } else {
                report.figure("broadcast.edgeha.coordinator.per.s", median);
            }
            notes.add(String.format(Locale.ROOT, "From %s, per round: %s; a broadcast took a mean %s from one "
                    + "send to the next, %.2f × a stop-and-wait raw message (%s).", who, String.join(", ",
                            e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.0f/s (%.0f in %.1f s)", v[0],
                                    v[1], v[2])).toList()), Stats.time(1e9 / median), oneMedian / median,
                    Stats.time(1e9 / oneMedian)));
        }
        if (headline != null) {
            report.summary(new Report.Row("Provider broadcasts, 5 gateways over Mosquitto, from gateway "
                    + SENDERS[0] + ": delivered/s to all ÷ raw QoS 1 msgs/s", headline.median(), "", headline.ratio(),
                    headline.goal(), headline.met()));
        }
        notes.add(machine);
        report.section(TITLE, setup(window), rows, "- " + String.join("\n- ", notes));
    }

    private String setup(int window) {
        return "One private " + GroupOverMqttBenchmarks.mosquittoVersion() + " (loopback listener, `set_tcp_nodelay "
                + "true`, `max_inflight_messages 1000`, `max_queued_messages 100000`, `persistence false`) and "
                + GATEWAYS + " real gateway processes (`java " + String.join(" ", GatewayRun.JVM_OPTIONS) + " -jar "
                + "edgeha-gateway.jar`, as in \"" + GroupOverMqttBenchmarks.TITLE + "\"), each with the benchmark "
                + "probe: one provider of group `" + GroupOverMqttBenchmarks.GROUP + "`.\n\n"
                + "**EdgeHA**: the probe on one gateway broadcasts " + MESSAGE_BYTES + "-byte provider messages "
                + "(`GsClient.sendMessage`, one-phase) for " + seconds + " s after " + warmup + " warm-up ones. A "
                + "broadcast is a protocol and a group runs one protocol at a time, so the sender proposes the next "
                + "message as soon as its own `approved` callback has told it the previous one was committed: "
                + "that is as fast as the protocol allows. From gateway 2 each broadcast crosses the broker twice "
                + "(request to the coordinator, then its commit to the other members), from the coordinator once. "
                + "Every probe counts the broadcasts it was told of and checks they came numbered in order, none "
                + "missing or twice. *Delivered/s* = broadcasts ÷ time from the first send to the last member's "
                + "`approved` callback of the last one (each probe notes `System.nanoTime()`, one clock for the "
                + "machine).\n\n"
                + "**Raw**: in the same run, through the same broker, alternating with the broadcasts, one plain Paho "
                + "v5 publisher and one subscriber in the benchmark JVM (TCP_NODELAY sockets), QoS 1, 64-byte "
                + "payloads, for " + seconds + " s each, with at most " + window + " messages unacknowledged (Paho v5 "
                + "has no `setMaxInflight`: the window must stay within the broker's Receive Maximum, here "
                + "`max_inflight_messages 1000`, or publishing fails with 32202). The subscriber counts distinct "
                + "messages; *delivered/s* = delivered ÷ time from the first publish to the last delivery. Ratio "
                + "= EdgeHA broadcasts delivered/s ÷ raw delivered/s; medians over the rounds. A second raw series, "
                + "*stop-and-wait* (window 1: each publish waits for the previous PUBACK), is shown beside it "
                + "because a group's broadcasts cannot be pipelined: Group Services runs one protocol at a time "
                + "per group, and a gateway has at most one proposal of its own in flight per group (a second one "
                + "is refused with `COLLIDE`), so broadcasts are bound by the protocol's round trip, not by the "
                + "broker's pipeline.";
    }

    private static String perSecond(double v) {
        return String.format(Locale.ROOT, "%.0f /s", v);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
