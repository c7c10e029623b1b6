package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.state;
import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.BatchControl;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.api.SubscriptionFlag;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.EventLog;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.edgeha.gs.engine.sim.TestSubscriber;
import org.junit.Test;

/**
 * Behaviours 10, 11, 12 and 14 of the GSAPI reference (group creation and join errors, goodbye,
 * subscriptions, source and target groups), on three simulated gateways with several providers each.
 */
public class MembershipBehaviourTest {

    /**
     * 10. A join creates a missing group with the joiner's attributes; a later join with other
     * attributes fails with BAD_GROUP_ATTRIBUTES, a duplicate (node, instance) with
     * DUPLICATE_INSTANCE_NUMBER, both as delayed errors carrying the original request.
     */
    @Test
    public void b10_firstJoinDefinesTheGroupAndBadJoinsFailAsDelayedErrors() {
        forSeeds(5, seed -> {
            SimCluster c = new SimCluster(seed, 3, SimFaults.LAN);
            List<List<DelayedErrorNotification>> errors = new ArrayList<>();
            List<GsClient> clients = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                List<DelayedErrorNotification> e = new ArrayList<>();
                errors.add(e);
                clients.add(c.node(n).init(ClientOptions.named("c" + n).withDelayedErrorCallback(e::add)));
            }
            GroupAttributes a = GroupAttributes.DEFAULT.withDefaultVote(DefaultVote.REJECT)
                    .withSystemVoting(NumPhases.N, Duration.ofSeconds(2)).withClientVersion(7);
            TestProvider first = new TestProvider("p1a", clients.get(0), c.events).join("fresh", 1, a);
            c.await("created", () -> c.view(1, "fresh") != null && c.view(1, "fresh").members().size() == 1, 5_000);
            assertEquals(a, c.view(1, "fresh").attributes());
            assertEquals(ProtocolType.JOIN, first.last(ApprovedNotification.class).protocolType());
            List<TestProvider> more = List.of(new TestProvider("p2a", clients.get(1), c.events).join("fresh", 1, a),
                    new TestProvider("p2b", clients.get(1), c.events).join("fresh", 2, a),
                    new TestProvider("p3a", clients.get(2), c.events).join("fresh", 1, a));
            c.await("four members", () -> c.view(3, "fresh") != null && c.view(3, "fresh").members().size() == 4, 10_000);

            JoinRequest mismatched = new JoinRequest("fresh", 2, a.withBatchControl(BatchControl.BATCH_BOTH), "p3b",
                    new TestProvider("p3b", clients.get(2), c.events));
            var badToken = clients.get(2).join(mismatched);
            JoinRequest duplicate = new JoinRequest("fresh", 1, a, "p2c", new TestProvider("p2c", clients.get(1), c.events));
            var dupToken = clients.get(1).join(duplicate);
            c.runFor(2_000);

            assertEquals(1, errors.get(2).size());
            DelayedErrorNotification bad = errors.get(2).get(0);
            assertEquals(ReturnCode.BAD_GROUP_ATTRIBUTES, bad.returnCode());
            assertEquals(ProtocolType.JOIN, bad.protocolType());
            assertEquals(badToken, bad.requestToken());
            assertEquals("fresh", bad.group());
            assertTrue(bad.failingRequest() == mismatched);
            assertEquals(1, errors.get(1).size());
            DelayedErrorNotification dup = errors.get(1).get(0);
            assertEquals(ReturnCode.DUPLICATE_INSTANCE_NUMBER, dup.returnCode());
            assertEquals(dupToken, dup.requestToken());
            assertTrue(dup.failingRequest() == duplicate);
            assertEquals(4, c.view(1, "fresh").members().size());
            GsException e = assertThrows(GsException.class,
                    () -> clients.get(2).changeStateValue(badToken, state("x")));
            assertEquals(ReturnCode.BAD_MEMBER_TOKEN, e.returnCode());
            assertTrue(more.stream().allMatch(p -> p.last(ApprovedNotification.class) != null));
            c.assertHealthy();
        });
    }

    /** 11. goodbye() returns only after the provider was removed; peers see PROVIDER_SAID_GOODBYE. */
    @Test
    public void b11_goodbyeCompletesAfterRemovalAndPeersSeeTheReason() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            TestProvider leaver = f.p(2, 2);
            f.all().forEach(p -> p.voter = n -> {
                p.voteLater(f.c, 300, Vote.approve());
                return null;
            });
            propose(f.p(1, 1), state("busy")); // goodbye while a protocol runs: default vote, removal after it
            f.c.await("phase 1 at node 2", () -> leaver.last(NPhaseNotification.class) != null, 5_000);
            int seenBefore = leaver.received.size();
            GroupView[] viewAtCompletion = new GroupView[1];
            CompletableFuture<Void> done = leaver.client.goodbyeAsync(leaver.token).toCompletableFuture()
                    .thenRun(() -> viewAtCompletion[0] = f.c.view(2, "g"));
            f.c.runFor(5);
            assertFalse("returned before the removal", done.isDone());
            f.settle();
            assertTrue(done.isDone());
            assertFalse("still a member when goodbye completed", viewAtCompletion[0] != null
                    && viewAtCompletion[0].members().contains(new ProviderId(2, 2)));
            assertEquals("no notification after goodbye", seenBefore, leaver.received.size());
            for (TestProvider p : f.all()) {
                if (p == leaver) {
                    continue;
                }
                ApprovedNotification leave = p.last(ApprovedNotification.class);
                assertEquals(ProtocolType.FAILURE_LEAVE, leave.protocolType());
                assertEquals(1, leave.proposal().leaveInfo().size());
                assertEquals(new ProviderId(2, 2), leave.proposal().leaveInfo().get(0).provider());
                assertEquals(LeaveReason.PROVIDER_SAID_GOODBYE, leave.proposal().leaveInfo().get(0).reason());
            }
            // the same instance can join again at once: no longer a duplicate
            TestProvider again = new TestProvider("p2b'", leaver.client, f.c.events).join("g", 2, GroupAttributes.DEFAULT);
            f.awaitMembers("g", 6);
            f.settle();
            assertEquals(ProtocolType.JOIN, again.last(ApprovedNotification.class).protocolType());
            assertTrue(f.delayedErrors.get(2).isEmpty());
        });
    }

    /**
     * 12. Subscribers see only approved changes matching their flags, are invisible to providers, get
     * exactly one DISSOLVED when the last provider leaves; an unknown group is a delayed UNKNOWN_GROUP.
     */
    @Test
    public void b12_subscribersSeeApprovedChangesByFlagAndOneDissolved() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            List<DelayedErrorNotification> errors = new ArrayList<>();
            GsClient w1 = f.c.node(1).init(ClientOptions.named("w1").withDelayedErrorCallback(errors::add));
            GsClient w3 = f.c.node(3).init(ClientOptions.named("w3"));
            TestSubscriber sState = subscribe(w1, "g", EnumSet.of(SubscriptionFlag.STATE));
            TestSubscriber sMembers = subscribe(f.c.node(2).init(ClientOptions.named("w2")), "g", EnumSet.of(SubscriptionFlag.MEMBERSHIP));
            TestSubscriber sJoins = subscribe(w3, "g", EnumSet.of(SubscriptionFlag.DELTA_JOINS));
            TestSubscriber sAll = subscribe(w3, "g", EnumSet.allOf(SubscriptionFlag.class));
            SubscribeRequest unknown = SubscribeRequest.all("nope", n -> { });
            var unknownToken = w1.subscribe(unknown);
            f.settle();
            for (TestSubscriber s : List.of(sState, sMembers, sJoins, sAll)) {
                assertEquals(s.name, 1, s.received.size());
                SubscriptionNotification init = s.received.get(0);
                assertEquals(Set.of(SubscriptionEvent.INITIAL), init.events());
                assertEquals(f.view().members(), init.fullMembership());
                assertEquals(f.view().seq(), init.seq());
            }
            assertEquals(1, errors.size());
            assertEquals(ReturnCode.UNKNOWN_GROUP, errors.get(0).returnCode());
            assertEquals(ProtocolType.SUBSCRIBE, errors.get(0).protocolType());
            assertEquals(unknownToken, errors.get(0).requestToken());
            assertTrue(errors.get(0).failingRequest() == unknown);

            f.all().forEach(p -> p.voter = n -> Vote.approve());
            propose(f.p(1, 1), state("s1"));                       // approved: a state change
            f.settle();
            f.p(3, 2).voter = n -> Vote.reject();
            propose(f.p(2, 1), state("s2"));                       // rejected: invisible to subscribers
            f.settle();
            f.p(1, 2).client.sendMessage(f.p(1, 2).token, Support.message1("m")); // no state or membership change
            f.settle();
            TestProvider joiner = new TestProvider("p3c", f.clients.get(3), f.c.events).join("g", 3, GroupAttributes.DEFAULT);
            f.awaitMembers("g", 7);
            f.p(2, 2).client.leave(f.p(2, 2).token, new LeaveRequest(Voting.ONE_PHASE, 42));
            f.awaitMembers("g", 6);
            f.settle();

            assertEquals(List.of(Set.of(SubscriptionEvent.INITIAL), Set.of(SubscriptionEvent.STATE)), events(sState));
            assertEquals("s1", sState.last().state().asUtf8());
            assertEquals(List.of(Set.of(SubscriptionEvent.INITIAL), Set.of(SubscriptionEvent.MEMBERSHIP),
                    Set.of(SubscriptionEvent.MEMBERSHIP)), events(sMembers));
            assertEquals(List.of(Set.of(SubscriptionEvent.INITIAL), Set.of(SubscriptionEvent.DELTA_JOIN)), events(sJoins));
            assertEquals(List.of(new ProviderId(3, 3)), sJoins.last().joined());
            assertEquals(List.of(Set.of(SubscriptionEvent.INITIAL), Set.of(SubscriptionEvent.STATE),
                    EnumSet.of(SubscriptionEvent.MEMBERSHIP, SubscriptionEvent.DELTA_JOIN),
                    EnumSet.of(SubscriptionEvent.MEMBERSHIP, SubscriptionEvent.DELTA_LEAVE)), events(sAll));
            assertEquals(List.of(new ProviderId(2, 2)), sAll.last().left());
            assertEquals(f.view().members(), sAll.last().fullMembership());
            // invisible to providers: memberships list providers only
            List<ProviderId> providers = new ArrayList<>();
            f.all().stream().filter(p -> p != f.p(2, 2)).forEach(p -> providers.add(f.id(p)));
            providers.add(new ProviderId(3, 3));
            providers.sort(null);
            assertEquals(providers, joiner.last(ApprovedNotification.class).proposal().wholeMembership());

            // the last providers leave: every subscription gets exactly one DISSOLVED, and ends
            for (TestProvider p : f.all()) {
                if (p != f.p(2, 2)) {
                    p.client.goodbyeAsync(p.token);
                }
            }
            joiner.client.goodbyeAsync(joiner.token);
            f.c.runFor(5_000);
            for (TestSubscriber s : List.of(sState, sMembers, sJoins, sAll)) {
                long dissolved = s.received.stream().filter(n -> n.events().contains(SubscriptionEvent.DISSOLVED)).count();
                assertEquals(s.name, 1, dissolved);
                assertTrue(s.name, s.last().events().contains(SubscriptionEvent.DISSOLVED));
                assertTrue(s.last().fullMembership().isEmpty());
            }
            GsException e = assertThrows(GsException.class, () -> w3.unsubscribe(sAll.token));
            assertEquals(ReturnCode.BAD_MEMBER_TOKEN, e.returnCode());
            for (int n = 1; n <= 3; n++) {
                assertNull(f.c.view(n, "g"));
            }
            f.c.assertHealthy();
        });
    }

    private static TestSubscriber subscribe(GsClient client, String group, Set<SubscriptionFlag> flags) {
        TestSubscriber s = new TestSubscriber(client.name() + ":" + flags);
        s.token = client.subscribe(new SubscribeRequest(group, flags, s));
        return s;
    }

    private static List<Set<SubscriptionEvent>> events(TestSubscriber s) {
        return s.received.stream().map(SubscriptionNotification::events).toList();
    }

    /** 14. When one failure hits a source and its target group, the source's change finishes first. */
    @Test
    public void b14_aSourceGroupsMembershipChangeFinishesBeforeItsTargets() {
        forSeeds(5, seed -> {
            SimCluster c = new SimCluster(seed, 3, SimFaults.LAN);
            GroupAttributes source = GroupAttributes.DEFAULT.withSystemVoting(NumPhases.N, Duration.ofSeconds(10));
            GroupAttributes target = source.withSourceGroup("disks");
            List<TestProvider> disks = new ArrayList<>();
            List<TestProvider> dbs = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                GsClient client = c.node(n).init(ClientOptions.named("c" + n));
                TestProvider d = new TestProvider("disk" + n, client, c.events).join("disks", 1, source);
                TestProvider t = new TestProvider("db" + n, client, c.events).join("db", 1, target);
                d.voter = n2 -> {
                    d.voteLater(c, 800, Vote.approve()); // the disks recover slowly
                    return null;
                };
                t.voter = n2 -> Vote.approve();
                disks.add(d);
                dbs.add(t);
            }
            c.await("both groups formed", () -> c.view(1, "disks") != null && c.view(1, "disks").members().size() == 3
                    && c.view(1, "db") != null && c.view(1, "db").members().size() == 3
                    && c.view(1, "disks").running().isEmpty() && c.view(1, "db").running().isEmpty(), 30_000);
            int from = c.events.all().size();
            c.crash(3);
            c.await("both removed the failed gateway", () -> c.view(1, "disks").members().size() == 2
                    && c.view(1, "db").members().size() == 2 && c.view(2, "db").members().size() == 2, 30_000);
            c.runFor(100);
            List<EventLog.Event> after = c.events.all().subList(from, c.events.all().size());
            for (int n = 1; n <= 2; n++) {
                String disk = "disk" + n;
                String db = "db" + n;
                long sourceDone = after.stream().filter(e -> e.who().equals(disk) && e.what().startsWith("approved FAILURE_LEAVE"))
                        .mapToLong(EventLog.Event::index).min().orElseThrow();
                long targetStart = after.stream().filter(e -> e.who().equals(db) && e.what().contains("FAILURE_LEAVE"))
                        .mapToLong(EventLog.Event::index).min().orElseThrow();
                assertTrue("at node " + n + " the target's failure-leave started (event " + targetStart
                        + ") before the source's finished (event " + sourceDone + ")", targetStart > sourceDone);
            }
            // ...and the source really was slow: its voters waited 800 ms; the target's did not
            EventLog.Event firstDisk = after.stream().filter(e -> e.who().startsWith("disk")).findFirst().orElseThrow();
            EventLog.Event firstDb = after.stream().filter(e -> e.who().startsWith("db")).findFirst().orElseThrow();
            assertTrue(firstDb.time() - firstDisk.time() >= 800);
            c.assertHealthy();
        });
    }
}
