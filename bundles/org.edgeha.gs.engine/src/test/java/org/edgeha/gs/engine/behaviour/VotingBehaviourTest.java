package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.finalsAfter;
import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.state;
import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.AttributeChangeRequest;
import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;

/**
 * Behaviours 7 to 9 of the GSAPI reference (time limits and default votes, failures during a
 * protocol, values piggybacked on votes), on three simulated gateways with two providers each.
 */
public class VotingBehaviourTest {

    /** 7. A provider that misses the time limit gets the default vote and is named in an announcement. */
    @Test
    public void b07_aLateVoterGetsTheDefaultVoteAndIsAnnounced() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            TestProvider late = f.p(2, 2);
            f.all().forEach(p -> p.voter = n -> Vote.approve());
            late.voter = n -> null;
            long start = f.c.scheduler.nowMillis();
            propose(f.p(1, 1), new StateChangeRequest(Voting.nPhase(Duration.ofMillis(500)), StateValue.ofUtf8("a")));
            f.settle();
            for (TestProvider p : f.all()) {
                AnnouncementNotification a = p.last(AnnouncementNotification.class);
                assertNotNull(p.name, a);
                assertEquals(Set.of(SummaryCode.TIME_LIMIT_EXCEEDED), a.summary());
                assertEquals(List.of(new ProviderId(2, 2)), a.affected());
                ApprovedNotification ok = p.last(ApprovedNotification.class);
                assertTrue("the default vote (approve) decided", ok.summary().contains(SummaryCode.TIME_LIMIT_EXCEEDED));
                assertEquals(ProtocolType.STATE_CHANGE, ok.protocolType());
                int ann = p.received.indexOf(a);
                assertTrue("announced before the approval", ann >= 0 && ann < p.received.indexOf(ok));
            }
            long took = f.p(1, 1).of(ApprovedNotification.class).size();
            assertTrue(took > 0 && f.c.scheduler.nowMillis() - start >= 500);
            assertEquals("a", f.view().state().asUtf8());

            // With a default vote of reject (changed through an attribute change), a late voter rejects.
            late.voter = n -> Vote.approve();
            f.p(1, 2).client.changeAttributes(f.p(1, 2).token, new AttributeChangeRequest(Voting.ONE_PHASE,
                    f.view().attributes().withDefaultVote(DefaultVote.REJECT)));
            f.settle();
            assertEquals(DefaultVote.REJECT, f.view().attributes().defaultVote());
            late.voter = n -> null;
            long before = f.view().seq();
            propose(f.p(3, 1), new StateChangeRequest(Voting.nPhase(Duration.ofMillis(300)), StateValue.ofUtf8("b")));
            f.settle();
            for (TestProvider p : f.all()) {
                RejectedNotification r = p.last(RejectedNotification.class);
                assertEquals(before + 1, r.proposal().seq());
                assertTrue(r.summary().contains(SummaryCode.TIME_LIMIT_EXCEEDED));
            }
            assertEquals("a", f.view().state().asUtf8());
        });
    }

    /**
     * 8. A provider that fails during a protocol gets the default vote for the rest of it; when it ends,
     * exactly one failure-leave removes every provider that failed meanwhile.
     */
    @Test
    public void b08_failedProvidersGetDefaultVotesThenOneFailureLeaveRemovesThemAll() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            TestProvider proposer = f.p(1, 1);
            TestProvider leaver = f.p(2, 2);
            f.all().forEach(p -> p.voter = n -> {
                int phase = n.proposal().phase();
                if (phase == 1) {
                    p.voteLater(f.c, 100, Vote.continueVoting());
                } else if (phase == 2) {
                    p.voteLater(f.c, 2_500, Vote.continueVoting());
                } else {
                    return Vote.approve();
                }
                return null;
            });
            long s0 = f.view().seq();
            long start = f.c.scheduler.nowMillis();
            propose(proposer, state("x"));
            f.c.await("phase 1 at node 3", () -> f.p(3, 1).last(NPhaseNotification.class) != null, 5_000);
            f.c.crash(3); // its providers never vote: they get the default once the crash is detected
            f.c.await("phase 2 at node 2", () -> leaver.of(NPhaseNotification.class).stream()
                    .anyMatch(n -> n.proposal().phase() == 2), 10_000);
            leaver.client.goodbyeAsync(leaver.token);
            f.settle();

            List<String> finals = finalsAfter(proposer, s0);
            assertEquals(List.of((s0 + 1) + ":STATE_CHANGE:approved", (s0 + 2) + ":FAILURE_LEAVE:approved"), finals);
            ApprovedNotification done = proposer.of(ApprovedNotification.class).stream()
                    .filter(n -> n.proposal().seq() == s0 + 1).findFirst().orElseThrow();
            assertEquals(3, done.proposal().phase());
            assertTrue(done.summary().contains(SummaryCode.PROVIDER_FAILED));
            assertTrue("not decided by the 20 s time limit", f.c.scheduler.nowMillis() - start < 20_000);
            ApprovedNotification leave = proposer.last(ApprovedNotification.class);
            assertEquals(ProtocolType.FAILURE_LEAVE, leave.protocolType());
            Map<ProviderId, LeaveReason> reasons = new java.util.TreeMap<>();
            for (LeaveInfo l : leave.proposal().leaveInfo()) {
                reasons.put(l.provider(), l.reason());
            }
            assertEquals(Map.of(new ProviderId(2, 2), LeaveReason.PROVIDER_SAID_GOODBYE, new ProviderId(3, 1),
                    LeaveReason.NODE_FAILED, new ProviderId(3, 2), LeaveReason.NODE_FAILED), reasons);
            assertEquals(List.of(new ProviderId(1, 1), new ProviderId(1, 2), new ProviderId(2, 1)), f.view().members());
            // the failed providers were never asked to vote after they failed
            assertTrue(leaver.of(NPhaseNotification.class).stream().noneMatch(n -> n.proposal().phase() == 3));
        });
    }

    /** 9. A state value or message in a vote appears in the next notification; only approval commits a state. */
    @Test
    public void b09_valuesCarriedByVotesAppearInTheNextNotification() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            TestProvider carrier = f.p(2, 1);
            TestProvider other = f.p(3, 2);
            f.all().forEach(p -> p.voter = n -> n.proposal().phase() == 1 ? Vote.continueVoting() : Vote.approve());
            carrier.voter = n -> n.proposal().phase() == 1
                    ? Vote.continueVoting().withState(StateValue.ofUtf8("from-2/1")).withMessage(ProviderMessage.ofUtf8("m21"))
                    : Vote.approve();
            other.voter = n -> n.proposal().phase() == 1
                    ? Vote.continueVoting().withState(StateValue.ofUtf8("from-3/2")).withMessage(ProviderMessage.ofUtf8("m32"))
                    : Vote.approve();
            long s0 = f.view().seq();
            propose(f.p(1, 1), state("proposed"));
            f.settle();
            for (TestProvider p : f.all()) {
                NPhaseNotification phase2 = p.of(NPhaseNotification.class).stream()
                        .filter(n -> n.proposal().seq() == s0 + 1 && n.proposal().phase() == 2).findFirst().orElseThrow();
                // the lowest provider id's proposal wins; every message is passed on
                assertEquals("from-2/1", phase2.proposal().proposedState().orElseThrow().asUtf8());
                assertEquals(Map.of(new ProviderId(2, 1), ProviderMessage.ofUtf8("m21"), new ProviderId(3, 2),
                        ProviderMessage.ofUtf8("m32")), phase2.proposal().votedMessages());
                assertEquals("the committed state is still the old one", StateValue.EMPTY, phase2.proposal().currentState());
                assertEquals("from-2/1", p.last(ApprovedNotification.class).proposal().currentState().asUtf8());
            }
            assertEquals("from-2/1", f.view().state().asUtf8());

            // A rejected protocol commits nothing, whatever its votes carried.
            carrier.voter = n -> n.proposal().phase() == 1 ? Vote.continueVoting().withState(StateValue.ofUtf8("no"))
                    : Vote.reject();
            propose(f.p(1, 1), state("neither"));
            f.settle();
            for (TestProvider p : f.all()) {
                RejectedNotification r = p.last(RejectedNotification.class);
                assertEquals("no", r.proposal().proposedState().orElseThrow().asUtf8());
                assertEquals("from-2/1", r.proposal().currentState().asUtf8());
            }
            assertEquals("from-2/1", f.view().state().asUtf8());
            Set<String> seen = new TreeSet<>();
            f.all().forEach(p -> seen.add(p.last(RejectedNotification.class).proposal().currentState().asUtf8()));
            assertEquals(Set.of("from-2/1"), seen);
        });
    }
}
