package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.propose;
import static org.edgeha.gs.engine.behaviour.Support.state;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.api.AttributeChangeRequest;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/** The synchronous return codes: every call that cannot be accepted fails at once and changes nothing. */
public class ApiMisuseTest {

    private static void fails(ReturnCode code, ThrowingRunnable call) {
        assertEquals(code, assertThrows(GsException.class, call).returnCode());
    }

    @Test
    public void badCallsFailAtOnceWithTheirReturnCode() {
        GroupFixture f = new GroupFixture(3, 3, 2, "g", GroupAttributes.DEFAULT);
        TestProvider p = f.p(1, 1);
        GsClient sameGateway = f.c.node(1).init(ClientOptions.named("another"));
        fails(ReturnCode.BAD_MEMBER_TOKEN, () -> sameGateway.changeStateValue(p.token, state("x")));
        GsClient other = f.clients.get(2);
        fails(ReturnCode.BAD_MEMBER_TOKEN, () -> p.client.vote(new ProviderToken(999), Vote.approve()));
        fails(ReturnCode.VOTE_NOT_EXPECTED, () -> p.client.vote(p.token, Vote.approve()));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.join(JoinRequest.of("no/slash", 1, p)));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.join(JoinRequest.of("g", -1, p)));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.subscribe(new SubscribeRequest("g", java.util.Set.of(), n -> { })));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.changeStateValue(p.token,
                new StateChangeRequest(Voting.ONE_PHASE, StateValue.of(new byte[70_000]))));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.expel(p.token, new ExpelRequest(Voting.ONE_PHASE, List.of(), 1, "")));
        fails(ReturnCode.INVALID_DEACTIVATE_PHASE, () -> p.client.expel(p.token,
                new ExpelRequest(Voting.ONE_PHASE, List.of(new ProviderId(2, 1)), 2, "")));
        fails(ReturnCode.BAD_GROUP_ATTRIBUTES, () -> p.client.changeAttributes(p.token,
                new AttributeChangeRequest(Voting.ONE_PHASE, GroupAttributes.DEFAULT.withSourceGroup("other"))));
        fails(ReturnCode.BAD_GROUP_ATTRIBUTES, () -> p.client.join(
                JoinRequest.of("h", 1, p).withAttributes(GroupAttributes.DEFAULT.withSourceGroup("bad/name"))));

        // joining, not yet a member: proposals are refused
        TestProvider joining = new TestProvider("p2c", other, f.c.events).join("g", 3, GroupAttributes.DEFAULT);
        fails(ReturnCode.NOT_A_MEMBER, () -> propose(joining, state("early")));
        f.awaitMembers("g", 7);
        f.settle();

        // a proposal of this gateway in flight: the next one from the same gateway collides at once
        propose(f.p(2, 1), new StateChangeRequest(Voting.nPhase(Duration.ofSeconds(1)), StateValue.ofUtf8("a")));
        fails(ReturnCode.COLLIDE, () -> propose(f.p(2, 2), state("b")));
        f.settle();

        // after quit: NO_INIT; peers see the providers leave with CLIENT_QUIT
        GsClient quitter = f.clients.get(3);
        quitter.quit();
        fails(ReturnCode.NO_INIT, () -> quitter.changeStateValue(f.p(3, 1).token, state("x")));
        fails(ReturnCode.NO_INIT, () -> quitter.join(JoinRequest.of("g", 9, f.p(3, 1))));
        quitter.quit(); // idempotent
        f.awaitMembers("g", 5);
        f.settle();
        ApprovedNotification leave = p.last(ApprovedNotification.class);
        assertEquals(ProtocolType.FAILURE_LEAVE, leave.protocolType());
        assertEquals(List.of(new LeaveInfo(new ProviderId(3, 1), LeaveReason.CLIENT_QUIT, 0),
                new LeaveInfo(new ProviderId(3, 2), LeaveReason.CLIENT_QUIT, 0)), leave.proposal().leaveInfo());
        fails(ReturnCode.BAD_PARAMETER, () -> f.c.node(1).init(ClientOptions.named("x".repeat(65))));
        assertTrue(f.delayedErrors.get(1).isEmpty());
    }
}
