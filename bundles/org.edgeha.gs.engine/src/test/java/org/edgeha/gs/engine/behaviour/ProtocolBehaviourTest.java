package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.finalsAfter;
import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.proposedBy;
import static org.edgeha.gs.engine.behaviour.Support.state;
import static org.edgeha.gs.engine.behaviour.Support.state1;
import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;

/**
 * Behaviours 1 to 6 of the GSAPI reference (collisions, queued membership changes, one order without
 * gaps, one-phase protocols, the barrier, the decision rule), each on a simulated network of three
 * gateways with two providers each, over several seeds.
 */
public class ProtocolBehaviourTest {

    private static final GroupAttributes ATTRS = GroupAttributes.DEFAULT;

    /** 1. A proposal that meets a running protocol fails with COLLIDE (sync or delayed) and is never queued. */
    @Test
    public void b01_aProposalMeetingARunningProtocolCollidesAndIsNeverQueued() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", ATTRS);
            TestProvider a = f.p(1, 1);
            TestProvider b = f.p(2, 1);
            TestProvider d = f.p(3, 2);
            f.all().forEach(p -> p.voter = n -> null); // hold the protocol open
            propose(a, state("A"));
            f.c.await("phase 1 everywhere", () -> f.all().stream().allMatch(p -> p.last(NPhaseNotification.class) != null), 5_000);
            GsException e = assertThrows(GsException.class, () -> propose(b, state("B")));
            assertEquals(ReturnCode.COLLIDE, e.returnCode());
            f.all().forEach(p -> p.vote(Vote.approve()));
            f.settle();
            assertTrue("B was queued and ran", f.all().stream().flatMap(p -> p.received.stream()).noneMatch(n -> proposedBy(n, f.id(b))));

            // Two gateways propose at the same instant: neither has seen the other's, so the coordinator
            // finds the collision and reports it as a delayed error carrying the original request.
            f.all().forEach(p -> p.voter = n -> {
                p.voteLater(f.c, 200, Vote.approve());
                return null;
            });
            StateChangeRequest fromB = state("B2");
            StateChangeRequest fromD = state("D2");
            propose(b, fromB);
            propose(d, fromD);
            f.settle();
            long ranB = f.p(1, 1).received.stream().filter(n -> proposedBy(n, f.id(b))).count();
            long ranD = f.p(1, 1).received.stream().filter(n -> proposedBy(n, f.id(d))).count();
            assertEquals("exactly one of the two ran", 1, ranB + ranD);
            List<DelayedErrorNotification> errors = new ArrayList<>(f.delayedErrors.get(2));
            errors.addAll(f.delayedErrors.get(3));
            assertEquals(1, errors.size());
            DelayedErrorNotification err = errors.get(0);
            assertEquals(ReturnCode.COLLIDE, err.returnCode());
            assertEquals(ProtocolType.STATE_CHANGE, err.protocolType());
            assertEquals("g", err.group());
            assertTrue(err.failingRequest() == (ranB == 1 ? fromD : fromB));
            assertEquals((ranB == 1 ? d : b).token, err.requestToken());
        });
    }

    /** 2. Joins and failure-leaves arriving during a protocol are queued and run before any later proposal. */
    @Test
    public void b02_membershipChangesWaitAndRunBeforeLaterProposals() {
        forSeeds(5, seed -> {
            GroupAttributes attrs = ATTRS.withSystemVoting(NumPhases.N, Duration.ofSeconds(5));
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", attrs);
            TestProvider a = f.p(1, 1);
            TestProvider b = f.p(1, 2);
            boolean[] hold = {true};
            f.all().forEach(p -> p.voter = n -> n.protocolType() == ProtocolType.STATE_CHANGE && hold[0] ? null : Vote.approve());
            long start = f.view().seq();
            propose(a, state("A"));
            f.c.await("phase 1 everywhere", () -> f.all().stream().allMatch(p -> p.last(NPhaseNotification.class) != null), 5_000);
            TestProvider joiner = new TestProvider("p3c", f.clients.get(3), f.c.events).join("g", 3, attrs);
            joiner.voter = n -> Vote.approve();
            f.p(2, 2).client.goodbyeAsync(f.p(2, 2).token);
            f.c.runFor(200);
            // The moment the state change is approved, b proposes: the queued changes must go first.
            List<GsException> sync = new ArrayList<>();
            hold[0] = false;
            f.all().forEach(p -> p.vote(Vote.approve()));
            f.c.await("state change approved at node 1", () -> a.last(ApprovedNotification.class) != null
                    && a.last(ApprovedNotification.class).protocolType() == ProtocolType.STATE_CHANGE, 5_000);
            try {
                propose(b, state("B"));
            } catch (GsException e) {
                sync.add(e);
            }
            f.settle();
            List<String> order = finalsAfter(a, start);
            assertEquals(List.of((start + 1) + ":STATE_CHANGE:approved", (start + 2) + ":FAILURE_LEAVE:approved",
                    (start + 3) + ":JOIN:approved"), order.subList(0, 3));
            boolean collided = !sync.isEmpty() && sync.get(0).returnCode() == ReturnCode.COLLIDE
                    || f.delayedErrors.get(1).stream().anyMatch(e -> e.returnCode() == ReturnCode.COLLIDE);
            assertTrue("the proposal made while changes were queued collided", collided);
            assertTrue(joiner.last(ApprovedNotification.class) != null);
        });
    }

    /** 3. Every provider and subscriber sees one identical, gap-free order of changes. */
    @Test
    public void b03_everyMemberSeesTheSameOrderWithoutGaps() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 3, "g", ATTRS);
            java.util.Random rnd = new java.util.Random(seed);
            f.all().forEach(p -> p.voter = n -> rnd.nextInt(8) == 0 ? Vote.reject() : Vote.approve());
            long start = f.view().seq();
            for (int i = 0; i < 40; i++) {
                TestProvider p = f.all().get(rnd.nextInt(f.all().size()));
                try {
                    propose(p, rnd.nextBoolean() ? state("v" + i) : state1("v" + i));
                } catch (GsException e) {
                    assertEquals(ReturnCode.COLLIDE, e.returnCode());
                }
                f.c.runFor(rnd.nextInt(15));
            }
            f.settle();
            List<String> reference = finalsAfter(f.p(1, 1), start);
            assertTrue("some protocols ran", reference.size() >= 5);
            for (int i = 0; i < reference.size(); i++) {
                assertTrue("gap at " + reference.get(i), reference.get(i).startsWith((start + 1 + i) + ":"));
            }
            for (TestProvider p : f.all()) {
                assertEquals(p.name, reference, finalsAfter(p, start));
            }
            f.assertAllAgree();
        });
    }

    /** 4. A one-phase proposal gives exactly one approved notification per provider, never n-phase or rejected. */
    @Test
    public void b04_oneLonePhaseProtocolIsApprovedOncePerProviderWithoutVoting() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", ATTRS);
            f.all().forEach(p -> p.voter = n -> Vote.reject()); // would reject, if anybody asked
            long start = f.view().seq();
            propose(f.p(2, 1), state1("one"));
            f.settle();
            f.p(3, 2).client.sendMessage(f.p(3, 2).token, Support.message1("hi"));
            f.settle();
            for (TestProvider p : f.all()) {
                assertEquals(p.name, List.of((start + 1) + ":STATE_CHANGE:approved", (start + 2) + ":MESSAGE:approved"),
                        finalsAfter(p, start));
                assertTrue(p.of(NPhaseNotification.class).stream().noneMatch(n -> n.proposal().seq() > start));
                assertTrue(p.of(RejectedNotification.class).isEmpty());
                ApprovedNotification msg = p.last(ApprovedNotification.class);
                assertEquals("hi", msg.proposal().providerMessage().orElseThrow().asUtf8());
                assertEquals(0, msg.proposal().phase());
            }
            assertEquals("one", f.view().state().asUtf8());
        });
    }

    /** 5. Phase k+1 reaches nobody before every provider voted in phase k or got the default vote. */
    @Test
    public void b05_aPhaseClosesOnlyWhenEveryProviderHasVoted() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", ATTRS);
            TestProvider slow = f.p(3, 2);
            long[] slowVotedAt = {-1};
            f.all().forEach(p -> p.voter = n -> n.proposal().phase() == 1 ? Vote.continueVoting() : Vote.approve());
            slow.voter = n -> {
                if (n.proposal().phase() > 1) {
                    return Vote.approve();
                }
                f.c.scheduler.schedule(700, () -> {
                    slowVotedAt[0] = f.c.scheduler.nowMillis();
                    slow.vote(Vote.continueVoting());
                });
                return null;
            };
            int before = f.c.events.all().size();
            propose(f.p(1, 1), state("x"));
            f.settle();
            assertTrue(slowVotedAt[0] > 0);
            var phase2 = f.c.events.all().stream().skip(before).filter(e -> e.what().contains("phase 2")).toList();
            assertEquals("every provider got phase 2", 6, phase2.size());
            for (var e : phase2) {
                assertTrue(e + " before the slow vote at " + slowVotedAt[0], e.time() >= slowVotedAt[0]);
            }
            f.all().forEach(p -> assertEquals(2, p.last(ApprovedNotification.class).proposal().phase()));
        });
    }

    /** 6. Any reject: rejected for all; all approve: approved; otherwise the next phase, numbered one higher. */
    @Test
    public void b06_anyRejectRejectsAllApproveApprovesElseAnotherPhase() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", ATTRS);
            TestProvider nay = f.p(2, 2);
            f.all().forEach(p -> p.voter = n -> Vote.approve());
            nay.voter = n -> Vote.reject();
            long s0 = f.view().seq();
            propose(f.p(1, 1), state("rejected"));
            f.settle();
            for (TestProvider p : f.all()) {
                RejectedNotification r = p.last(RejectedNotification.class);
                assertNotNull(p.name, r);
                assertEquals(s0 + 1, r.proposal().seq());
                assertEquals(1, r.proposal().phase());
            }
            assertFalse("rejected".equals(f.view().state().asUtf8()));
            assertEquals(s0 + 1, f.view().seq());

            nay.voter = n -> Vote.approve();
            propose(f.p(1, 1), state("approved"));
            f.settle();
            f.all().forEach(p -> assertEquals(1, p.last(ApprovedNotification.class).proposal().phase()));
            assertEquals("approved", f.view().state().asUtf8());

            nay.voter = n -> n.proposal().phase() < 3 ? Vote.continueVoting() : Vote.approve();
            propose(f.p(3, 1), state("third"));
            f.settle();
            for (TestProvider p : f.all()) {
                List<Integer> phases = p.of(NPhaseNotification.class).stream()
                        .filter(n -> n.proposal().seq() == s0 + 3).map(n -> n.proposal().phase()).toList();
                assertEquals(p.name, List.of(1, 2, 3), phases);
                assertEquals(3, p.last(ApprovedNotification.class).proposal().phase());
            }
            assertEquals("third", f.view().state().asUtf8());
            assertEquals(new ProviderId(3, 1), f.p(1, 1).last(ApprovedNotification.class).proposal().proposedBy().orElseThrow());
            assertTrue(f.p(1, 1).voteErrors.isEmpty());
        });
    }
}
