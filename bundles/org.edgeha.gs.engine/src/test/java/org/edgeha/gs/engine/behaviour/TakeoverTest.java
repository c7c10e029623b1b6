package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.state;
import static org.edgeha.gs.engine.sim.GroupFixture.forSeeds;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;

/** The coordinator's gateway fails: takeover, in-flight protocols, fencing, catch-up of a restarted gateway. */
public class TakeoverTest {

    /**
     * {@code GroupServices.coordinatorNode()} (for the health check): the lowest gateway once its epoch is established
     * everywhere, also with no group; after it crashes, the next one once the takeover is done.
     */
    @Test
    public void coordinatorNodeFollowsTheEstablishedEpoch() {
        forSeeds(5, seed -> {
            SimCluster c = new SimCluster(seed, 3, SimFaults.NONE);
            c.await("epoch 1 established", () -> c.nodeNumbers().stream().allMatch(n -> c.node(n).coordinatorNode() == 1),
                    10_000);
            c.crash(1);
            c.await("takeover by 2", () -> c.node(2).coordinatorNode() == 2 && c.node(3).coordinatorNode() == 2,
                    10_000);
            c.assertHealthy();
        });
    }

    /** A protocol in flight when the coordinator dies ends, for everybody, as rejected (COORDINATOR_LOST). */
    @Test
    public void aProtocolCutShortByTheCoordinatorsFailureIsRejectedEverywhere() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            assertEquals(1, f.view().coordinatorNode());
            f.all().forEach(p -> p.voter = n -> null); // nobody votes: the protocol is still running
            TestProvider proposer = f.p(2, 1);
            long s0 = f.view().seq();
            propose(proposer, state("never"));
            f.c.await("phase 1 everywhere", () -> f.all().stream().allMatch(p -> p.last(NPhaseNotification.class) != null), 5_000);
            f.c.crash(1);
            f.settle();
            for (int n = 2; n <= 3; n++) {
                assertEquals(2, f.c.view(n, "g").coordinatorNode());
            }
            for (TestProvider p : List.of(f.p(2, 1), f.p(2, 2), f.p(3, 1), f.p(3, 2))) {
                RejectedNotification r = p.of(RejectedNotification.class).stream()
                        .filter(n -> n.proposal().seq() == s0 + 1).findFirst().orElseThrow();
                assertEquals(Set.of(SummaryCode.COORDINATOR_LOST), r.summary());
                ApprovedNotification leave = p.last(ApprovedNotification.class);
                assertEquals(ProtocolType.FAILURE_LEAVE, leave.protocolType());
                assertEquals(s0 + 2, leave.proposal().seq());
                assertTrue(leave.proposal().leaveInfo().stream().allMatch(l -> l.reason() == LeaveReason.NODE_FAILED));
            }
            assertTrue("a rejected protocol applies nothing", !f.view().state().asUtf8().equals("never"));
            // the group goes on under the new coordinator
            f.all().forEach(p -> p.voter = n -> Vote.approve());
            propose(f.p(3, 2), state("after"));
            f.settle();
            assertEquals("after", f.view().state().asUtf8());
            f.assertAllAgree();
        });
    }

    /** A restarted lower-numbered gateway takes over again; its new providers catch up from the log. */
    @Test
    public void aRestartedGatewayTakesOverAgainAndItsProvidersCatchUp() {
        forSeeds(5, seed -> {
            GroupFixture f = new GroupFixture(seed, 3, 2, "g", GroupAttributes.DEFAULT);
            f.all().forEach(p -> p.voter = n -> Vote.approve());
            f.c.crash(1);
            f.awaitMembers("g", 4);
            propose(f.p(2, 1), state("while-1-was-down"));
            f.settle();
            f.c.start(1);
            TestProvider back = new TestProvider("p1a'", f.c.node(1).init(
                    org.edgeha.gs.api.ClientOptions.named("again")), f.c.events).join("g", 1, GroupAttributes.DEFAULT);
            f.awaitMembers("g", 5);
            f.settle();
            assertEquals(1, f.view().coordinatorNode());
            assertEquals("while-1-was-down", back.last(ApprovedNotification.class).proposal().currentState().asUtf8());
            assertTrue(back.last(ApprovedNotification.class).proposal().wholeMembership().contains(new ProviderId(1, 1)));
            propose(back, state("from-1"));
            f.settle();
            for (TestProvider p : List.of(f.p(2, 1), f.p(3, 2), back)) {
                assertEquals("from-1", p.last(ApprovedNotification.class).proposal().currentState().asUtf8());
            }
            f.assertAllAgree();
            assertTrue(f.c.node(1).stats().takeovers.get() >= 1);
        });
    }
}
