package org.edgeha.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.RealTimeScheduler;
import org.edgeha.gs.engine.node.GsNode;
import org.edgeha.gs.engine.sim.InMemoryTransport;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.SimNetwork;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;

/**
 * One group grown to {@value #ENGINES} engines × 5 providers (issue 7): at each size, state change latency and
 * the frames all engines send per protocol, counted at the transport, to check that the traffic grows linearly
 * with the members. The engines run in one JVM on the in-memory network (no delay, real threads), as in
 * {@link GroupServicesBenchmarks}: how many frames a protocol takes does not depend on the transport.
 */
final class ScaleBenchmarks {

    static final String TITLE = "Group Services at scale";
    private static final String GROUP = "scale";
    private static final int ENGINES = 20;
    private static final int[] SIZES = {5, 10, 20, 40, 60, 80, 100};
    /** Longer than the link layer's standalone-ack delay (20 ms): every acknowledgement goes in a frame of its own. */
    private static final int PACED_PAUSE_MS = 30;
    /** Provider 1 lives on engine 2: its requests cross the network to the coordinator (engine 1). */
    private static final int PROPOSER = 1;
    private static final double LINEAR_LIMIT = 1.5;

    private final int warmup;
    private final int runs;
    private final int paced;
    private final LongAdder frames = new LongAdder();
    private final LongAdder dataFrames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile Round round;

    /** The state change in flight: the value every member waits for, and who has been told. */
    private record Round(String value, CountDownLatch told) {
    }

    /** What one size gave. */
    private record Size(int providers, int engines, Stats[] latency, double[] pacedFrames, double[] backToBackFrames,
            double[] pacedBytes, double[] cpu) {
    }

    ScaleBenchmarks(boolean quick) {
        this.warmup = quick ? 50 : 300;
        this.runs = quick ? 100 : 1_500;
        this.paced = quick ? 10 : 50;
    }

    void run(Report report) throws Exception {
        List<Size> sizes = new ArrayList<>();
        long started = System.nanoTime();
        String loadBefore = MachineLoad.now();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService callbacks = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "scale-callback-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<GsNode> engines = new ArrayList<>();
        try (RealTimeScheduler scheduler = new RealTimeScheduler("scale-net", EngineLog.NONE)) {
            SimNetwork network = new SimNetwork(scheduler, 1, SimFaults.NONE);
            for (int i = 1; i <= ENGINES; i++) {
                InMemoryTransport t = network.transport(i);
                GsNode node = new GsNode(EngineConfig.forNode(i), new Counting(t), t.scheduler(), callbacks,
                        EngineLog.NONE);
                node.start();
                engines.add(node);
            }
            awaitPresence(engines);
            List<Member> members = new ArrayList<>();
            for (int n : SIZES) {
                grow(engines, members, n);
                sizes.add(measure(members));
            }
        } finally {
            engines.forEach(GsNode::stop);
            callbacks.shutdownNow();
        }
        String machine = String.format(Locale.ROOT, "Machine: %s at the start, %s at the end (%.0f s), %d cores.",
                loadBefore, MachineLoad.now(), (System.nanoTime() - started) / 1e9,
                Runtime.getRuntime().availableProcessors());
        report(report, sizes, machine);
    }

    /** Waits until every engine has seen all the others (the in-memory presence view). */
    private static void awaitPresence(List<GsNode> engines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (engines.stream().anyMatch(e -> e.up().size() < ENGINES)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the " + ENGINES + " engines never all saw each other");
            }
            Thread.sleep(10);
        }
    }

    /** Joins providers until the group has {@code n}: provider k on engine k mod 20 + 1, instance k / 20 + 1. */
    private void grow(List<GsNode> engines, List<Member> members, int n) throws InterruptedException {
        CountDownLatch joined = new CountDownLatch(n - members.size());
        for (int k = members.size(); k < n; k++) {
            GsNode engine = engines.get(k % ENGINES);
            GsClient client = engine.init(ClientOptions.named("scale" + k));
            Member m = new Member(client, joined);
            members.add(m);
            m.token = client.join(new JoinRequest(GROUP, k / ENGINES + 1, GroupAttributes.DEFAULT, "", m));
        }
        if (!joined.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the group never grew to " + n + " providers");
        }
        quiet();
    }

    private Size measure(List<Member> members) throws Exception {
        int n = members.size();
        // The first size also warms the JIT up: its CPU and latency would otherwise include compilation.
        int warm = n == SIZES[0] ? warmup * 4 : warmup;
        Member proposer = members.get(PROPOSER);
        Stats[] latency = new Stats[2];
        double[] pacedFrames = new double[2];
        double[] pacedBytes = new double[2];
        double[] backToBack = new double[2];
        double[] cpu = new double[2];
        long pid = ProcessHandle.current().pid();
        for (int phases = 1; phases <= 2; phases++) {
            Voting voting = phases == 1 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(10));
            String tag = "n" + n + "p" + phases;
            for (int i = 0; i < warm; i++) {
                change(members, proposer, voting, tag + "w" + i);
            }
            quiet();
            long[] before = counters();
            long cpuBefore = MachineLoad.cpuNanos(pid);
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                nanos[i] = change(members, proposer, voting, tag + "r" + i);
            }
            cpu[phases - 1] = (double) (MachineLoad.cpuNanos(pid) - cpuBefore) / runs;
            quiet();
            long[] after = counters();
            latency[phases - 1] = Stats.of(nanos);
            backToBack[phases - 1] = (double) (after[0] - before[0]) / runs;
            before = after;
            for (int i = 0; i < paced; i++) {
                change(members, proposer, voting, tag + "p" + i);
                Thread.sleep(PACED_PAUSE_MS);
            }
            quiet();
            after = counters();
            pacedFrames[phases - 1] = (double) (after[0] - before[0]) / paced;
            pacedBytes[phases - 1] = (double) (after[2] - before[2]) / paced;
            System.out.printf(Locale.ROOT, "scale: %d providers, %d-phase: median %s, p99 %s, CPU %s; frames per "
                    + "protocol %.1f paced (%.0f bytes), %.1f back to back%n", n, phases,
                    Stats.time(latency[phases - 1].median()), Stats.time(latency[phases - 1].p99()),
                    Stats.time(cpu[phases - 1]), pacedFrames[phases - 1], pacedBytes[phases - 1],
                    backToBack[phases - 1]);
        }
        return new Size(n, Math.min(n, ENGINES), latency, pacedFrames, backToBack, pacedBytes, cpu);
    }

    /** @return nanoseconds from the proposal until every member was told it was approved */
    private long change(List<Member> members, Member proposer, Voting voting, String value)
            throws InterruptedException {
        Round r = new Round(value, new CountDownLatch(members.size()));
        round = r;
        long t0 = System.nanoTime();
        proposer.client.changeStateValue(proposer.token, new StateChangeRequest(voting, StateValue.ofUtf8(value)));
        if (!r.told().await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("state change " + value + " did not reach every member: "
                    + r.told().getCount() + " of " + members.size() + " were not told");
        }
        return System.nanoTime() - t0;
    }

    /** @return frames, data frames and bytes sent so far by all engines */
    private long[] counters() {
        return new long[] {frames.sum(), dataFrames.sum(), bytes.sum()};
    }

    /** Waits until no engine has sent a frame for 100 ms: the last standalone acknowledgements are out. */
    private void quiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = frames.sum();
        do {
            Thread.sleep(100);
            long now = frames.sum();
            if (now == last) {
                return;
            }
            last = now;
        } while (System.nanoTime() - deadline < 0);
    }

    // ---- the report ----

    private void report(Report report, List<Size> sizes, String machine) throws Exception {
        List<Report.Row> rows = new ArrayList<>();
        for (Size s : sizes) {
            for (int p = 1; p <= 2; p++) {
                Stats l = s.latency()[p - 1];
                rows.add(new Report.Row(p + "-phase state change, " + s.providers() + " providers on " + s.engines()
                        + " engines: every member told (" + l.count() + ")", Stats.time(l.median()),
                        Stats.time(l.p99()), "", "", ""));
            }
        }
        Size ten = find(sizes, 10);
        Size hundred = find(sizes, 100);
        double[] ratio = new double[2];
        boolean met = true;
        for (int p = 0; p < 2; p++) {
            ratio[p] = (hundred.pacedFrames()[p] / 100) / (ten.pacedFrames()[p] / 10);
            met &= ratio[p] <= LINEAR_LIMIT;
        }
        String ratioText = String.format(Locale.ROOT, "%.2f / %.2f", ratio[0], ratio[1]);
        String goal = "frames per protocol per member at 100 ≤ " + LINEAR_LIMIT + " × at 10 (linear in members)";
        // The median column holds the frames per protocol per member at 100 and at 10, which the ratio compares.
        String perMember = String.format(Locale.ROOT, "%.2f / %.2f at 100, %.2f / %.2f at 10 frames per member",
                hundred.pacedFrames()[0] / 100, hundred.pacedFrames()[1] / 100, ten.pacedFrames()[0] / 10,
                ten.pacedFrames()[1] / 10);
        Report.Row linear = new Report.Row("Frames per protocol per member, 100 vs 10 providers, 1- / 2-phase "
                + String.format(Locale.ROOT, "(%.0f / %.0f frames at 100)", hundred.pacedFrames()[0],
                        hundred.pacedFrames()[1]), perMember, "", ratioText, goal, met ? "met" : "not met");
        rows.add(linear);
        report.summary(new Report.Row("Group Services at scale: " + linear.scenario(), perMember, "", ratioText, goal,
                linear.met()));
        report.figure("scale.msgs.per.protocol.100", hundred.pacedFrames()[0]);
        report.figure("scale.2phase.msgs.per.protocol.100", hundred.pacedFrames()[1]);
        report.figure("scale.1phase.median.100", hundred.latency()[0].median());
        report.figure("scale.2phase.median.100", hundred.latency()[1].median());

        List<String> notes = new ArrayList<>();
        notes.add(messagesTable(sizes));
        for (int p = 0; p < 2; p++) {
            int phase = p;
            double[] fit = fit(sizes, Size::providers, s -> s.pacedFrames()[phase]);
            double[] byEngines = fit(sizes, Size::engines, s -> s.pacedFrames()[phase]);
            double[] fitBytes = fit(sizes, Size::providers, s -> s.pacedBytes()[phase]);
            List<Size> full = sizes.stream().filter(s -> s.engines() == ENGINES).toList();
            double[] bytesAtFull = fit(full, Size::providers, s -> s.pacedBytes()[phase]);
            notes.add(String.format(Locale.ROOT, "**%d-phase**, least-squares fits over the sizes (n providers, g "
                    + "engines with members): frames ≈ %.3f·n %s (R² %.2f), but frames ≈ %.2f·g %s (R² %.3f): "
                    + "the frames follow the gateways that host members, not the providers; bytes ≈ %.0f·n %s "
                    + "(R² %.2f), and %.0f bytes more per added provider at %d engines (%.1f for each of the %d "
                    + "engines other than the coordinator). Frames per member: %.2f at 10, %.2f at 100 (ratio %.2f); "
                    + "bytes per member: %.0f at 10, %.0f at 100 (ratio %.2f).", p + 1, fit[0], signed(fit[1], 1),
                    fit[2], byEngines[0], signed(byEngines[1], 1), byEngines[2], fitBytes[0], signed(fitBytes[1], 0),
                    fitBytes[2], bytesAtFull[0], ENGINES, bytesAtFull[0] / (ENGINES - 1), ENGINES - 1,
                    ten.pacedFrames()[p] / 10,
                    hundred.pacedFrames()[p] / 100, ratio[p], ten.pacedBytes()[p] / 10, hundred.pacedBytes()[p] / 100,
                    (hundred.pacedBytes()[p] / 100) / (ten.pacedBytes()[p] / 10)));
        }
        notes.add("How to read it: a protocol's frames are one request to the coordinator, then per phase one "
                + "message to each other engine with members and one aggregated vote back, one commit to each, "
                + "and a link-layer acknowledgement for each frame that has no reply to ride on. So they grow "
                + "with the engines involved (up to " + ENGINES + " here) and not with the providers on them: "
                + "an engine sends one vote for all its local providers and fans the commit out to them locally. "
                + "The bytes do grow with the providers: every phase message and every commit carries the "
                + "group's whole view (all members), so at a fixed number of engines they grow linearly with the "
                + "members, and in all as engines × members (self-contained commits are what lets a gateway "
                + "catch up from any one of them, see the design, section 5.2).");
        notes.add(report.chart("scale-latency", "State change latency against group size (median, every member told)",
                "providers in the group", "median latency (ms)", false, List.of(
                        series("1-phase", sizes, s -> s.latency()[0].median() / 1e6),
                        series("2-phase", sizes, s -> s.latency()[1].median() / 1e6))));
        notes.add(report.chart("scale-messages", "Frames per protocol against group size (all engines)",
                "providers in the group", "frames per protocol", false, List.of(
                        series("1-phase, paced", sizes, s -> s.pacedFrames()[0]),
                        series("2-phase, paced", sizes, s -> s.pacedFrames()[1]),
                        series("1-phase, back to back", sizes, s -> s.backToBackFrames()[0]),
                        series("2-phase, back to back", sizes, s -> s.backToBackFrames()[1]))));
        notes.add(report.chart("scale-cpu", "CPU per state change against group size (all engines, one JVM)",
                "providers in the group", "CPU per protocol (ms)", false, List.of(
                        series("1-phase", sizes, s -> s.cpu()[0] / 1e6),
                        series("2-phase", sizes, s -> s.cpu()[1] / 1e6))));
        notes.add(machine);
        report.section(TITLE, setup(), rows, String.join("\n\n", notes));
    }

    private String setup() {
        return ENGINES + " Group Services engines in one JVM on the engine's in-memory network (`SimNetwork` with "
                + "no delay: the transport a gateway without a broker uses), real threads: one scheduler thread runs "
                + "the network and every engine's timers, a pool of 3 threads runs the callbacks, as in \"Group "
                + "Services engine\" above. **The engines share this one JVM and its cores, so the latencies are "
                + "the engines' own cost added up, not a network's**; over MQTT the broker's hops come on top. How "
                + "many frames a protocol takes does not depend on the transport: the link layer and the protocol "
                + "are the same over MQTT.\n\n"
                + "One group `" + GROUP + "` grows step by step to " + SIZES[SIZES.length - 1] + " providers, "
                + "spread evenly: provider k lives on engine k mod " + ENGINES + " + 1, so up to " + ENGINES
                + " providers each have their own engine and then every engine gets more (5 each at 100). Engine 1 "
                + "coordinates; the proposer is provider " + PROPOSER + " on engine 2, so its request crosses the "
                + "network. Every provider approves every phase. At each size: " + warmup + " warm-up changes (4 times as "
                + "many at the first size, which also warms the JIT up), "
                + runs + " measured back to back for latency (from `changeStateValue` until the last member's "
                + "`approved` callback), then " + paced + " paced " + PACED_PAUSE_MS + " ms apart for the frame "
                + "count.\n\n"
                + "**Frames per protocol**: everything all engines hand to the transport (`GsTransport.publish`), "
                + "counted by a wrapper around each engine's transport: the protocol's data frames and the link "
                + "layer's acknowledgements, after the last standalone acknowledgement went out (no frame for 100 "
                + "ms). *Paced* protocols are " + PACED_PAUSE_MS + " ms apart, longer than the link layer's 20 ms "
                + "acknowledgement delay, so every acknowledgement is a frame of its own: the worst case, and "
                + "the figure the goal is held against. *Back to back* acknowledgements ride on the next "
                + "protocol's frames. Bytes are the frames' payloads (the MQTT topic and header come on top). "
                + "Frames going to the same gateway (the coordinator's own members) are not sent: the engine "
                + "delivers them to itself. *CPU* is this JVM's user + system time over the back-to-back changes "
                + "divided by their number: all 20 engines, the network and the callbacks together, less noisy on "
                + "a shared machine than the latency.";
    }

    private static String messagesTable(List<Size> sizes) {
        StringBuilder md = new StringBuilder("Frames per protocol, all engines together:\n\n"
                + "| Providers | Engines with members | 1-phase frames (paced) | per member | 1-phase bytes (paced) | "
                + "1-phase frames back to back | 1-phase CPU | 2-phase frames (paced) | per member | 2-phase bytes "
                + "(paced) | 2-phase frames back to back | 2-phase CPU |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Size s : sizes) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.2f | %.0f | %.1f | %s | %.1f | %.2f | %.0f | %.1f "
                    + "| %s |%n", s.providers(), s.engines(), s.pacedFrames()[0], s.pacedFrames()[0] / s.providers(),
                    s.pacedBytes()[0], s.backToBackFrames()[0], Stats.time(s.cpu()[0]), s.pacedFrames()[1],
                    s.pacedFrames()[1] / s.providers(), s.pacedBytes()[1], s.backToBackFrames()[1],
                    Stats.time(s.cpu()[1])));
        }
        return md.toString().stripTrailing();
    }

    /** @return e.g. "+ 21.1" or "− 1.0" */
    private static String signed(double v, int decimals) {
        return (v < 0 ? "− " : "+ ") + String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v));
    }

    private static Size find(List<Size> sizes, int providers) {
        return sizes.stream().filter(s -> s.providers() == providers).findFirst().orElseThrow();
    }

    private interface Figure {
        double of(Size s);
    }

    private static Charts.Series series(String name, List<Size> sizes, Figure f) {
        double[] x = sizes.stream().mapToDouble(Size::providers).toArray();
        double[] y = sizes.stream().mapToDouble(f::of).toArray();
        return new Charts.Series(name, x, y);
    }

    /** @return a, b and R² of the least-squares line y ≈ a·x + b over the sizes */
    private static double[] fit(List<Size> sizes, Figure xf, Figure f) {
        int k = sizes.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Size s : sizes) {
            double x = xf.of(s);
            double y = f.of(s);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double a = (k * sxy - sx * sy) / (k * sxx - sx * sx);
        double b = (sy - a * sx) / k;
        double mean = sy / k;
        double ssTot = 0;
        double ssRes = 0;
        for (Size s : sizes) {
            double y = f.of(s);
            double e = y - (a * xf.of(s) + b);
            ssTot += (y - mean) * (y - mean);
            ssRes += e * e;
        }
        return new double[] {a, b, ssTot == 0 ? 1 : 1 - ssRes / ssTot};
    }

    // ---- parts ----

    /** Counts every frame an engine hands to its transport: all of them, data frames (kind 1) and bytes. */
    private final class Counting implements GsTransport {
        private final GsTransport inner;

        Counting(GsTransport inner) {
            this.inner = inner;
        }

        @Override
        public NodeId localNode() {
            return inner.localNode();
        }

        @Override
        public void start(TransportListener listener) {
            inner.start(listener);
        }

        @Override
        public void subscribe(String topicFilter) {
            inner.subscribe(topicFilter);
        }

        @Override
        public void publish(String topic, byte[] payload) {
            frames.increment();
            if (payload.length > 1 && payload[1] == 1) {
                dataFrames.increment();
            }
            bytes.add(payload.length);
            inner.publish(topic, payload);
        }

        @Override
        public void stop() {
            inner.stop();
        }
    }

    /** A provider that approves every phase, and counts down when told of the state change in flight. */
    private final class Member implements ProviderCallbacks {
        final GsClient client;
        private final CountDownLatch joined;
        private boolean isMember;
        volatile ProviderToken token;

        Member(GsClient client, CountDownLatch joined) {
            this.client = client;
            this.joined = joined;
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            client.vote(n.token(), Vote.approve());
        }

        @Override
        public void approved(ApprovedNotification n) {
            if (!isMember) {
                isMember = n.protocolType() == ProtocolType.JOIN; // the first approval a joiner sees is its own join
                if (isMember) {
                    joined.countDown();
                }
                return;
            }
            Round r = round;
            if (n.protocolType() == ProtocolType.STATE_CHANGE && r != null
                    && r.value().equals(n.proposal().currentState().asUtf8())) {
                r.told().countDown();
            }
        }

        @Override
        public void rejected(RejectedNotification n) {
            throw new IllegalStateException("a benchmark protocol was rejected: " + n);
        }
    }
}
