package org.edgeha.gs.engine.sim;

import static org.junit.Assume.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.junit.Test;

/**
 * Benchmarks of the engine itself, with a network that adds no delay: one-phase and two-phase protocol
 * latency and protocols per second in a five-gateway group. Runs only with {@code -Dgs.bench=true}:
 * {@code mvn -o -q test -pl bundles/org.edgeha.gs.engine -Dtest=GsBenchmark -Dgs.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public class GsBenchmark {

    private static final int NODES = 5;
    private static final int WARMUP = 300;
    private static final int RUNS = 2_000;

    /** Real threads: the engine's scheduler thread, a callback pool; latency until every member is told. */
    @Test
    public void latencyWithRealThreads() throws Exception {
        assumeTrue(Boolean.getBoolean("gs.bench"));
        try (RealTimeCluster c = new RealTimeCluster(NODES)) {
            List<Member> members = new ArrayList<>();
            for (int n = 1; n <= NODES; n++) {
                GsClient client = c.node(n).init(ClientOptions.named("bench" + n));
                members.add(new Member(client));
            }
            CountDownLatch formed = new CountDownLatch(NODES);
            for (Member m : members) {
                m.formed = formed;
                m.token = m.client.join(new JoinRequest("bench", 1, GroupAttributes.DEFAULT, "", m));
            }
            if (!formed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("group not formed");
            }
            Member proposer = members.get(0);
            waitFor(members, () -> proposer.client.changeStateValue(proposer.token,
                    new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8("warm"))));
            for (int phases : new int[] {1, 2}) {
                Voting voting = phases == 1 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(10));
                long[] nanos = new long[RUNS];
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    String v = "v" + i;
                    long t0 = System.nanoTime();
                    waitFor(members, () -> proposer.client.changeStateValue(proposer.token,
                            new StateChangeRequest(voting, StateValue.ofUtf8(v))));
                    if (i >= WARMUP) {
                        nanos[i - WARMUP] = System.nanoTime() - t0;
                    }
                }
                report(phases + "-phase protocol, " + NODES + " gateways, real threads, until all members approved", nanos);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < RUNS; i++) {
                String v = "t" + i;
                waitFor(members, () -> proposer.client.changeStateValue(proposer.token,
                        new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8(v))));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BENCH one group, one-phase protocols back to back: %.0f protocols/s%n", RUNS / seconds);
        }
    }

    /** Virtual time, one thread: the engine's CPU cost per protocol, without any thread hand-off. */
    @Test
    public void throughputInVirtualTime() {
        assumeTrue(Boolean.getBoolean("gs.bench"));
        SimCluster c = new SimCluster(1, NODES, SimFaults.NONE);
        List<TestProvider> ps = new ArrayList<>();
        for (int n = 1; n <= NODES; n++) {
            ps.add(new TestProvider("p" + n, c.client(n, "c" + n), c.events).join("bench", 1, GroupAttributes.DEFAULT));
        }
        c.await("formed", () -> c.view(NODES, "bench") != null && c.view(NODES, "bench").members().size() == NODES, 10_000);
        for (int phases : new int[] {1, 2}) {
            ps.forEach(p -> p.voter = n -> n.proposal().phase() < phases ? Vote.continueVoting() : Vote.approve());
            Voting voting = phases == 1 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(10));
            int runs = 20_000;
            long t0 = 0;
            for (int i = 0; i < runs + WARMUP; i++) {
                if (i == WARMUP) {
                    t0 = System.nanoTime();
                }
                long seq = c.view(1, "bench").seq();
                ps.get(0).client.changeStateValue(ps.get(0).token, new StateChangeRequest(voting, StateValue.ofUtf8("x" + i)));
                c.scheduler.runUntil(() -> c.view(NODES, "bench").seq() > seq && ps.get(NODES - 1).finals().size() > 0, 1_000);
                c.scheduler.runFor(0);
                ps.forEach(p -> p.received.clear());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BENCH %d-phase protocols, %d gateways in one JVM, virtual time: %.0f protocols/s (%.1f us CPU each)%n",
                    phases, NODES, runs / seconds, seconds * 1e6 / runs);
        }
    }

    private static void waitFor(List<Member> members, Runnable propose) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(members.size());
        members.forEach(m -> m.latch.set(done));
        propose.run();
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("protocol did not finish");
        }
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("BENCH %s: median %.0f us, p99 %.0f us, min %.0f us, max %.0f us (n=%d)%n", what,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3, s[0] / 1e3, s[s.length - 1] / 1e3, s.length);
    }

    /** A member that approves every phase and counts down when a protocol is approved. */
    private static final class Member implements ProviderCallbacks {
        final GsClient client;
        volatile ProviderToken token;
        final AtomicReference<CountDownLatch> latch = new AtomicReference<>();
        volatile CountDownLatch formed;
        private boolean counted;

        Member(GsClient client) {
            this.client = client;
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            client.vote(token, n.proposal().phase() < 2 && n.timeLimit().toSeconds() == 10 ? Vote.continueVoting() : Vote.approve());
        }

        @Override
        public void approved(ApprovedNotification n) {
            if (!counted && n.proposal().wholeMembership().size() == NODES) {
                counted = true;
                formed.countDown();
            }
            CountDownLatch l = latch.get();
            if (l != null) {
                l.countDown();
            }
        }

        @Override
        public void rejected(RejectedNotification n) {
        }
    }
}
