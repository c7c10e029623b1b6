package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DeactivateRequest;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.EventLog;
import org.edgeha.gs.engine.sim.Monitor;
import org.edgeha.gs.engine.sim.RealTimeCluster;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.edgeha.gs.engine.sim.VirtualScheduler;
import org.junit.Test;

/**
 * An expel proposed by a provider on the coordinator's gateway against a provider of another gateway
 * (one-phase, n-phase, deactivate in a later phase; the group created by either side; before and after a
 * takeover) completes: the target's deactivate action runs once, the target is removed everywhere, and no
 * phase has to wait for its time limit. (Reported as staying at phase 1; the other direction was covered.)
 */
public class ExpelFromCoordinatorTest {

    private static final long LIMIT_MS = 20_000;

    /** A cluster whose providers record their deactivate requests; one provider per gateway in group g. */
    private static final class Setup {
        final SimCluster c;
        final Map<Integer, TestProvider> providers = new TreeMap<>();
        final List<DeactivateRequest> ran = new ArrayList<>();
        /** Gateways whose provider was expelled (they may keep no view of g). */
        final java.util.Set<Integer> expelled = new java.util.TreeSet<>();

        Setup(long seed, int nodes, boolean coordinatorCreates) {
            c = new SimCluster(seed, nodes, SimFaults.LAN);
            List<Integer> order = new ArrayList<>(c.nodeNumbers());
            if (!coordinatorCreates) {
                java.util.Collections.reverse(order); // the group is created by the highest gateway's provider
            }
            for (int n : order) {
                GsClient client = c.node(n).init(ClientOptions.named("c" + n).withDeactivateHandler(r -> {
                    ran.add(r);
                    return CompletableFuture.completedFuture(0);
                }));
                providers.put(n, new TestProvider("p" + n, client, c.events).join("g", 1, GroupAttributes.DEFAULT));
                c.await("p" + n + " joined", () -> view(n) != null && view(n).members().contains(new ProviderId(n, 1))
                        && view(n).running().isEmpty(), 30_000);
            }
            awaitMembers(nodes);
        }

        GroupView view(int n) {
            return c.isAlive(n) ? c.view(n, "g") : null;
        }

        void awaitMembers(int members) {
            c.await("g has " + members + " members on every live gateway", () -> {
                for (int n : c.nodeNumbers()) {
                    GroupView v = view(n);
                    if (c.isAlive(n) && !expelled.contains(n) && (v == null || v.members().size() != members || v.running().isPresent())) {
                        return false;
                    }
                }
                return true;
            }, 60_000);
            c.runFor(20);
        }

        int coordinator() {
            for (int n : c.nodeNumbers()) {
                if (view(n) != null) {
                    return view(n).coordinatorNode();
                }
            }
            throw new AssertionError("no view of g");
        }
    }

    /**
     * The proposer on the coordinator's gateway expels the provider of gateway {@code target}; asserts that it
     * completes without any time limit running out.
     */
    private static void expelFromCoordinator(Setup s, int target, Voting voting, int deactivatePhase) {
        int coord = s.coordinator();
        assertTrue("target on another gateway", coord != target);
        TestProvider proposer = s.providers.get(coord);
        TestProvider victim = s.providers.get(target);
        ProviderId victimId = new ProviderId(target, 1);
        s.providers.values().forEach(p -> p.voter = n -> n.proposal().phase() < deactivatePhase
                ? Vote.continueVoting() : Vote.approve());
        int before = s.view(coord).members().size();
        int ranBefore = s.ran.size();
        long start = s.c.scheduler.nowMillis();
        proposer.client.expel(proposer.token, new ExpelRequest(voting, List.of(victimId), deactivatePhase, "stop"));
        s.c.await("the expel of " + victimId + " from gateway " + coord + " (" + voting.phases() + ") completes",
                () -> {
                    for (int n : s.c.nodeNumbers()) {
                        GroupView v = s.view(n);
                        if (n != target && !s.expelled.contains(n) && s.c.isAlive(n) && (v == null || v.members().contains(victimId)
                                || v.running().isPresent())) {
                            return false;
                        }
                    }
                    return true;
                }, 60_000);
        long took = s.c.scheduler.nowMillis() - start;
        s.expelled.add(target);
        assertTrue("took " + took + " ms of virtual time: a phase waited for its time limit", took < 5_000);
        s.c.runFor(50);
        s.c.assertHealthy();
        assertEquals(before - 1, s.view(coord).members().size());
        ApprovedNotification approved = proposer.last(ApprovedNotification.class);
        assertNotNull(approved);
        assertEquals(ProtocolType.EXPEL, approved.protocolType());
        assertTrue(approved.summary().toString(), approved.summary().isEmpty()); // no time limit ran out
        assertEquals(LeaveReason.EXPELLED, approved.proposal().leaveInfo().get(0).reason());
        ApprovedNotification told = victim.last(ApprovedNotification.class);
        assertEquals(ProtocolType.EXPEL, told.protocolType());
        assertEquals(ranBefore + 1, s.ran.size());
        DeactivateRequest req = s.ran.get(s.ran.size() - 1);
        assertEquals(victim.token, req.token());
        assertEquals(deactivatePhase, req.phase());
        assertTrue(s.providers.values().stream().allMatch(p -> p.of(AnnouncementNotification.class).isEmpty()));
    }

    @Test
    public void onePhaseExpelFromTheCoordinatorsGatewayCompletes() {
        forSeeds(10, seed -> {
            for (int nodes = 2; nodes <= 3; nodes++) {
                for (boolean coordinatorCreates : new boolean[] {true, false}) {
                    Setup s = new Setup(seed, nodes, coordinatorCreates);
                    expelFromCoordinator(s, nodes, Voting.ONE_PHASE, 1);
                }
            }
        });
    }

    @Test
    public void nPhaseExpelFromTheCoordinatorsGatewayCompletes() {
        forSeeds(10, seed -> {
            for (int nodes = 2; nodes <= 3; nodes++) {
                for (boolean coordinatorCreates : new boolean[] {true, false}) {
                    Setup s = new Setup(seed, nodes, coordinatorCreates);
                    expelFromCoordinator(s, nodes, Voting.nPhase(Duration.ofMillis(LIMIT_MS)), 1);
                    if (nodes == 3) {
                        // the deactivate action in phase 2 (phase 1 continued)
                        expelFromCoordinator(s, 2, Voting.nPhase(Duration.ofMillis(LIMIT_MS)), 2);
                    }
                }
            }
        });
    }

    /** After the coordinator's gateway crashed, the next coordinator's gateway proposes the expel. */
    @Test
    public void expelFromTheNewCoordinatorsGatewayAfterATakeoverCompletes() {
        forSeeds(10, seed -> {
            Setup s = new Setup(seed, 4, true);
            int old = s.coordinator();
            s.c.crash(old);
            s.c.await("a takeover", () -> s.view(2) != null && s.view(2).coordinatorNode() != old
                    && s.view(2).members().size() == 3 && s.view(2).running().isEmpty(), 60_000);
            s.awaitMembers(3);
            int coord = s.coordinator();
            int target = coord == 4 ? 3 : 4;
            expelFromCoordinator(s, target, Voting.ONE_PHASE, 1);
            int other = s.c.nodeNumbers().stream().filter(n -> n != old && n != target && n != s.coordinator())
                    .findFirst().orElseThrow();
            expelFromCoordinator(s, other, Voting.nPhase(Duration.ofMillis(LIMIT_MS)), 1);
        });
    }

    /**
     * The same with real threads (the harness the report came from): callbacks on a pool, the target's deactivate
     * action answering at once or from another thread a little later, one-phase and n-phase.
     */
    @Test(timeout = 60_000)
    public void expelFromTheCoordinatorsGatewayCompletesWithRealThreads() throws Exception {
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            for (boolean async : new boolean[] {false, true}) {
                for (Voting voting : List.of(Voting.ONE_PHASE, Voting.nPhase(Duration.ofMillis(LIMIT_MS)))) {
                    try (RealTimeCluster c = new RealTimeCluster(2)) {
                        Monitor poll = new Monitor();
                        EventLog log = new EventLog(new VirtualScheduler());
                        List<DeactivateRequest> ran = java.util.Collections.synchronizedList(new ArrayList<>());
                        TestProvider p1 = new TestProvider("p1", c.node(1).init(ClientOptions.named("c1")), log)
                                .join("g", 1, GroupAttributes.DEFAULT);
                        assertTrue(poll.await(() -> c.node(1).group("g").isPresent(), 10_000));
                        TestProvider p2 = new TestProvider("p2", c.node(2).init(ClientOptions.named("c2")
                                .withDeactivateHandler(r -> {
                                    ran.add(r);
                                    if (!async) {
                                        return CompletableFuture.completedFuture(0);
                                    }
                                    CompletableFuture<Integer> f = new CompletableFuture<>();
                                    later.schedule(() -> f.complete(0), 50, java.util.concurrent.TimeUnit.MILLISECONDS);
                                    return f;
                                })), log).join("g", 1, GroupAttributes.DEFAULT);
                        List<ProviderId> both = List.of(new ProviderId(1, 1), new ProviderId(2, 1));
                        assertTrue(poll.await(() -> c.node(2).group("g").map(v -> v.members().equals(both)
                                && v.running().isEmpty()).orElse(false), 10_000));
                        assertEquals(1, c.node(1).group("g").orElseThrow().coordinatorNode());
                        p1.client.expel(p1.token, new ExpelRequest(voting, List.of(new ProviderId(2, 1)), 1, "stop"));
                        boolean done = poll.await(() -> c.node(1).group("g").map(v -> v.members()
                                .equals(List.of(new ProviderId(1, 1))) && v.running().isEmpty()).orElse(false), 15_000);
                        assertTrue(voting + " async=" + async + ": " + c.node(1).group("g") + " " + p1.received, done);
                        // decided by the deactivate result, not by a time limit
                        assertTrue(poll.await(() -> p1.last(ApprovedNotification.class) != null
                                && p1.last(ApprovedNotification.class).protocolType() == ProtocolType.EXPEL, 10_000));
                        assertTrue(p1.last(ApprovedNotification.class).summary().isEmpty());
                        assertTrue(poll.await(() -> p2.last(ApprovedNotification.class) != null
                                && p2.last(ApprovedNotification.class).protocolType() == ProtocolType.EXPEL, 10_000));
                        assertEquals(1, ran.size());
                        assertTrue(p1.of(AnnouncementNotification.class).isEmpty());
                    }
                }
            }
        } finally {
            later.shutdownNow();
        }
    }
}
