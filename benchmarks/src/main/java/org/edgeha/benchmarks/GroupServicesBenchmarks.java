package org.edgeha.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.RealTimeCluster;

/**
 * The Group Services engine's own cost (issue 4): five engines in one JVM on the in-memory network with
 * no delay, real threads; latency of a state change until every member is told it was approved, and
 * protocols per second. Over MQTT the broker's hops come on top (issue 5).
 */
final class GroupServicesBenchmarks {

    private static final int NODES = 5;

    private final boolean quick;

    GroupServicesBenchmarks(boolean quick) {
        this.quick = quick;
    }

    void run(Report report) throws Exception {
        int warmup = quick ? 200 : 500;
        int runs = quick ? 500 : 5_000;
        List<Report.Row> rows = new ArrayList<>();
        String notes;
        try (RealTimeCluster cluster = new RealTimeCluster(NODES)) {
            List<Member> members = new ArrayList<>();
            CountDownLatch formed = new CountDownLatch(NODES);
            for (int n = 1; n <= NODES; n++) {
                GsClient client = cluster.node(n).init(ClientOptions.named("bench" + n));
                Member m = new Member(client, formed);
                members.add(m);
                m.token = client.join(new JoinRequest("bench", 1, GroupAttributes.DEFAULT, "", m));
            }
            if (!formed.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the benchmark group did not form");
            }
            Member proposer = members.get(0);
            for (int phases : new int[] {1, 2}) {
                Voting voting = phases == 1 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(10));
                long[] nanos = new long[runs];
                for (int i = 0; i < warmup + runs; i++) {
                    long t0 = System.nanoTime();
                    change(members, proposer, voting, "v" + phases + "-" + i);
                    if (i >= warmup) {
                        nanos[i - warmup] = System.nanoTime() - t0;
                    }
                }
                Stats s = Stats.of(nanos);
                rows.add(new Report.Row(phases + "-phase state change, " + NODES + " gateways (" + s.count() + ")",
                        Stats.time(s.median()), Stats.time(s.p99()), "", "", ""));
                System.out.printf(Locale.ROOT, "group services %d-phase: median %s, p99 %s%n", phases,
                        Stats.time(s.median()), Stats.time(s.p99()));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                change(members, proposer, Voting.ONE_PHASE, "t" + i);
            }
            double perSecond = runs / ((System.nanoTime() - t0) / 1e9);
            notes = String.format(Locale.ROOT, "Throughput: %.0f one-phase protocols/s back to back in one group of %d.",
                    perSecond, NODES);
            System.out.println("group services: " + notes);
        }
        report.section("Group Services engine",
                "Five engines in one JVM on the in-memory network (no delay), real threads: the engine's "
                        + "scheduler thread and its callback pool. Measured from the proposal to the moment every "
                        + "member has been told it was approved; every member approves every phase. This is the "
                        + "engine's own cost; the goal \"a small multiple of the broker's one-hop latency\" is "
                        + "measured over Mosquitto with the MQTT transport (issue 5).",
                rows, notes);
    }

    private static void change(List<Member> members, Member proposer, Voting voting, String value)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(members.size());
        members.forEach(m -> m.approved.set(done));
        proposer.client.changeStateValue(proposer.token, new StateChangeRequest(voting, StateValue.ofUtf8(value)));
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a state change did not finish");
        }
    }

    /** A member that approves every phase and counts down when a protocol is approved. */
    private static final class Member implements ProviderCallbacks {
        final GsClient client;
        final AtomicReference<CountDownLatch> approved = new AtomicReference<>();
        volatile ProviderToken token;

        Member(GsClient client, CountDownLatch formed) {
            this.client = client;
            approved.set(formed);
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            client.vote(token, Vote.approve());
        }

        @Override
        public void approved(ApprovedNotification n) {
            CountDownLatch latch = approved.get();
            if (latch != null) {
                latch.countDown();
            }
        }

        @Override
        public void rejected(RejectedNotification n) {
            throw new IllegalStateException("a benchmark protocol was rejected: " + n);
        }
    }
}
