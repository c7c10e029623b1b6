package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.state1;
import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DeactivateRequest;
import org.edgeha.gs.api.DispatchFlag;
import org.edgeha.gs.api.DispatchMode;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.Responsiveness;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.Monitor;
import org.edgeha.gs.engine.sim.RealTimeCluster;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;

/**
 * Behaviours 11 (blocking goodbye, with real threads), 13 (callback threads and dispatch) and 15
 * (expel with deactivate actions; responsiveness only announced) of the GSAPI reference.
 */
public class ClientBehaviourTest {

    /**
     * 13. Callbacks run only on engine-owned threads or inside dispatch(), never concurrently for one
     * client, in protocol order; never on the network's thread. Real threads.
     */
    @Test(timeout = 30_000)
    public void b13_callbacksRunOneAtATimeOnEngineThreadsOrInsideDispatch() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(3)) {
            Monitor monitor = new Monitor();
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            List<ThreadedProvider> providers = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                GsClient client = c.node(n).init(ClientOptions.named("c" + n));
                AtomicInteger inCallback = new AtomicInteger();
                for (int i = 1; i <= 2; i++) {
                    providers.add(new ThreadedProvider("p" + n + i, client, inCallback, monitor, violations, null).join(i));
                }
            }
            GsClient explicit = c.node(1).init(ClientOptions.named("explicit").withDispatchMode(DispatchMode.EXPLICIT));
            Thread dispatcher = new Thread(() -> explicit.dispatch(DispatchFlag.BLOCKING), "test-dispatcher");
            ThreadedProvider dispatched = new ThreadedProvider("px", explicit, new AtomicInteger(), monitor, violations,
                    "test-dispatcher").join(9);
            providers.add(dispatched);
            assertTrue(monitor.await(() -> c.node(1).group("g").map(v -> v.members().size() == 7).orElse(false), 10_000));
            assertTrue("nothing runs before dispatch()", dispatched.finals.isEmpty());
            dispatcher.start();
            long seq = c.node(1).group("g").orElseThrow().seq();
            assertTrue(monitor.await(() -> providers.stream().allMatch(p -> p.lastSeq() >= 7), 10_000));
            for (int i = 0; i < 20; i++) {
                ThreadedProvider p = providers.get(i % 6);
                p.client.changeStateValue(p.token, new org.edgeha.gs.api.StateChangeRequest(
                        i % 2 == 0 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(5)),
                        org.edgeha.gs.api.StateValue.ofUtf8("v" + i)));
                long next = seq + i + 1;
                assertTrue("protocol " + next + " everywhere",
                        monitor.await(() -> providers.stream().allMatch(q -> q.lastSeq() >= next), 10_000));
            }
            explicit.quit();
            dispatcher.join(5_000);
            assertFalse(dispatcher.isAlive());
            assertEquals(List.of(), violations);
            for (ThreadedProvider p : providers) {
                for (int i = 1; i < p.finals.size(); i++) {
                    assertEquals(p.name + " in order", p.finals.get(i - 1) + 1, (long) p.finals.get(i));
                }
            }
        }
    }

    /** A provider that checks the threads its callbacks run on. */
    private static final class ThreadedProvider extends TestProviderBase {
        ThreadedProvider(String name, GsClient client, AtomicInteger inCallback, Monitor monitor, List<String> violations,
                String requiredThread) {
            super(name, client, inCallback, monitor, violations, requiredThread);
        }

        ThreadedProvider join(int instance) {
            token = client.join(new JoinRequest("g", instance, GroupAttributes.DEFAULT, name, this));
            return this;
        }
    }

    /** 11 (real threads). goodbye() blocks until the provider has been removed; not from a callback. */
    @Test(timeout = 30_000)
    public void b11_goodbyeBlocksUntilRemoved_realThreads() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(3)) {
            Monitor monitor = new Monitor();
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            List<ThreadedProvider> providers = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                GsClient client = c.node(n).init(ClientOptions.named("c" + n));
                for (int i = 1; i <= 2; i++) {
                    providers.add(new ThreadedProvider("p" + n + i, client, new AtomicInteger(), monitor, violations, null).join(i));
                }
            }
            assertTrue(monitor.await(() -> c.node(3).group("g").map(v -> v.members().size() == 6).orElse(false), 10_000));
            ThreadedProvider leaver = providers.get(3); // p22
            leaver.client.goodbye(leaver.token);
            assertFalse("removed when goodbye() returned",
                    c.node(2).group("g").orElseThrow().members().contains(new ProviderId(2, 2)));
            GsException e = assertThrows(GsException.class, () -> leaver.client.goodbye(leaver.token));
            assertEquals(ReturnCode.BAD_MEMBER_TOKEN, e.returnCode());
            // from inside a callback, the blocking form refuses (it would wait for itself)
            ThreadedProvider p = providers.get(0);
            CompletableFuture<Throwable> fromCallback = new CompletableFuture<>();
            p.onApproved = n -> {
                try {
                    p.client.goodbye(p.token);
                    fromCallback.complete(null);
                } catch (Throwable t) {
                    fromCallback.complete(t);
                }
            };
            p.client.changeStateValue(p.token, state1("x"));
            assertTrue(fromCallback.get() instanceof IllegalStateException);
            assertEquals(List.of(), violations);
        }
    }

    /** 13 (virtual time). An explicit-dispatch client's callbacks wait for dispatch(), in order. */
    @Test
    public void b13_explicitDispatchDeliversOnlyInsideDispatchInOrder() {
        forSeeds(3, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            GsClient explicit = f.c.node(2).init(ClientOptions.named("x").withDispatchMode(DispatchMode.EXPLICIT));
            TestProvider px = new TestProvider("px", explicit, f.c.events).join("g", 5, GroupAttributes.DEFAULT);
            f.awaitMembers("g", 7);
            for (int i = 0; i < 5; i++) {
                propose(f.p(1, 1), state1("v" + i));
                f.settle();
            }
            assertTrue("nothing before dispatch()", px.received.isEmpty());
            int ran = explicit.dispatch(DispatchFlag.NON_BLOCKING);
            assertEquals(6, ran);
            assertEquals(6, px.finals().size());
            long first = Long.parseLong(px.finals().get(0).split(":")[0]);
            for (int i = 0; i < 6; i++) {
                assertTrue(px.finals().get(i).startsWith((first + i) + ":"));
            }
            assertEquals(0, explicit.dispatch(DispatchFlag.NON_BLOCKING));
            GsException e = assertThrows(GsException.class, () -> f.clients.get(1).dispatch(DispatchFlag.NON_BLOCKING));
            assertEquals(ReturnCode.NOT_OK, e.returnCode());
        });
    }

    /**
     * 15. An expel runs each target's deactivate action within the phase time limit; a failure or
     * timeout is announced as unsuccessful (the expel still removes the target).
     */
    @Test
    public void b15_expelRunsDeactivateActionsAndAnnouncesFailures() {
        forSeeds(5, seed -> {
            SimCluster c = new SimCluster(seed, 3, SimFaults.LAN);
            List<DeactivateRequest> ran = new ArrayList<>();
            List<GsClient> clients = new ArrayList<>();
            clients.add(c.node(1).init(ClientOptions.named("c1").withDeactivateHandler(r -> {
                ran.add(r);
                return new CompletableFuture<>(); // never finishes
            })));
            clients.add(c.node(2).init(ClientOptions.named("c2").withDeactivateHandler(r -> {
                ran.add(r);
                return CompletableFuture.completedFuture(0);
            })));
            clients.add(c.node(3).init(ClientOptions.named("c3").withDeactivateHandler(r -> {
                ran.add(r);
                return CompletableFuture.completedFuture(3);
            })));
            GroupFixture f = new GroupFixture(c, 0, "g", GroupAttributes.DEFAULT);
            List<TestProvider> ps = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                for (int i = 1; i <= 2; i++) {
                    ps.add(new TestProvider("p" + n + (char) ('a' + i - 1), clients.get(n - 1), c.events)
                            .join("g", i, GroupAttributes.DEFAULT));
                }
            }
            f.awaitMembers("g", 6);
            TestProvider p1a = ps.get(0);
            TestProvider p1b = ps.get(1);
            TestProvider p2a = ps.get(2);
            TestProvider p2b = ps.get(3);
            TestProvider p3b = ps.get(5);
            ps.forEach(p -> p.voter = n -> Vote.approve());

            // A: n-phase expel of 2/1, whose action succeeds: approved, nothing announced, 2/1 not asked to vote
            p1a.client.expel(p1a.token, new ExpelRequest(Voting.nPhase(Duration.ofSeconds(5)), List.of(new ProviderId(2, 1)), 1, "stop-pump"));
            f.settle();
            assertEquals(List.of(new DeactivateRequest(p2a.token, "g", "stop-pump", 1)), ran);
            assertTrue(p2a.of(NPhaseNotification.class).stream().noneMatch(n -> n.protocolType() == ProtocolType.EXPEL));
            ApprovedNotification expelled = p2a.last(ApprovedNotification.class);
            assertEquals(ProtocolType.EXPEL, expelled.protocolType());
            assertEquals(LeaveReason.EXPELLED, expelled.proposal().leaveInfo().get(0).reason());
            assertTrue(ps.stream().allMatch(p -> p.of(AnnouncementNotification.class).isEmpty()));
            assertFalse(f.view().members().contains(new ProviderId(2, 1)));

            // B: one-phase expel of 3/1, whose action fails: announced as unsuccessful, still removed
            p1a.client.expel(p1a.token, new ExpelRequest(Voting.ONE_PHASE, List.of(new ProviderId(3, 1)), 1, "x"));
            f.settle();
            AnnouncementNotification bad = p1b.last(AnnouncementNotification.class);
            assertNotNull(bad);
            assertEquals(Set.of(SummaryCode.DEACTIVATE_UNSUCCESSFUL), bad.summary());
            assertEquals(List.of(new ProviderId(3, 1)), bad.affected());
            assertFalse(f.view().members().contains(new ProviderId(3, 1)));

            // C: expel of 1/2 with a deactivate phase of 2; its action never finishes: timed out after the limit
            ps.forEach(p -> p.voter = n -> n.proposal().phase() == 1 ? Vote.continueVoting() : Vote.approve());
            long start = c.scheduler.nowMillis();
            p2b.client.expel(p2b.token, new ExpelRequest(Voting.nPhase(Duration.ofMillis(400)), List.of(new ProviderId(1, 2)), 2, "y"));
            f.settle();
            assertTrue(c.scheduler.nowMillis() - start >= 400);
            List<Set<SummaryCode>> seen = p3b.of(AnnouncementNotification.class).stream()
                    .filter(a -> a.affected().equals(List.of(new ProviderId(1, 2)))).map(AnnouncementNotification::summary).toList();
            assertTrue(seen.toString(), seen.contains(Set.of(SummaryCode.DEACTIVATE_UNSUCCESSFUL)));
            assertEquals(2, p3b.last(ApprovedNotification.class).proposal().phase());
            assertEquals(List.of(new ProviderId(1, 1), new ProviderId(2, 2), new ProviderId(3, 2)), f.view().members());
            assertEquals(3, ran.size());
            assertEquals(2, ran.get(2).phase());
        });
    }

    /** 15. Missed responsiveness pings are announced, never a reason to remove anyone. */
    @Test
    public void b15_unresponsiveClientsAreAnnouncedNeverRemoved() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            GsClient stuck = f.c.node(2).init(ClientOptions.named("stuck").withDispatchMode(DispatchMode.EXPLICIT)
                    .withResponsiveness(Responsiveness.ping(Duration.ofMillis(200), Duration.ofMillis(100))));
            boolean[] healthy = {true};
            GsClient sick = f.c.node(3).init(ClientOptions.named("sick").withResponsiveness(
                    Responsiveness.ping(Duration.ofMillis(300), Duration.ofMillis(100)), n -> healthy[0]));
            TestProvider ps = new TestProvider("ps", stuck, f.c.events).join("g", 7, GroupAttributes.DEFAULT);
            TestProvider pk = new TestProvider("pk", sick, f.c.events).join("g", 7, GroupAttributes.DEFAULT);
            f.awaitMembers("g", 8);
            f.c.runFor(2_000); // "stuck" never dispatches
            TestProvider observer = f.p(1, 1);
            List<AnnouncementNotification> about = observer.of(AnnouncementNotification.class);
            assertEquals(1, about.size());
            assertEquals(Set.of(SummaryCode.RESPONSIVENESS_NO_RESPONSE), about.get(0).summary());
            assertEquals(List.of(new ProviderId(2, 7)), about.get(0).affected());

            healthy[0] = false; // "sick" answers its pings with false
            f.c.runFor(1_000);
            healthy[0] = true;
            f.c.runFor(1_000);
            stuck.dispatch(DispatchFlag.NON_BLOCKING); // answers the pending ping late: recovered
            f.c.runFor(50); // (it will miss the next ping again, since it does not dispatch any more)
            List<String> seen = observer.of(AnnouncementNotification.class).stream()
                    .map(a -> a.summary() + " " + a.affected()).toList();
            assertEquals(List.of("[RESPONSIVENESS_NO_RESPONSE] [2/7]", "[RESPONSIVENESS_NO_RESPONSE] [3/7]",
                    "[RESPONSIVENESS_RESPONDED] [3/7]", "[RESPONSIVENESS_RESPONDED] [2/7]"), seen);
            f.c.runFor(10_000);
            assertEquals("nobody removed", 8, f.view().members().size());
            assertTrue(ps.received.size() > 0);
            assertTrue(pk.finals().size() > 0);
        });
    }
}
