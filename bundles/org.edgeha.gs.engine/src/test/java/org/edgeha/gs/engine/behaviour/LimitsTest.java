package org.edgeha.gs.engine.behaviour;

import static org.edgeha.gs.engine.behaviour.Support.state1;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriptionFlag;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.sim.GroupFixture;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * Each limit, exceeded, gives its documented code and changes nothing: client sessions, groups per gateway and
 * providers per group ({@link ReturnCode#LIMIT_REACHED}, configured in {@link EngineConfig}), state value and message
 * size ({@link ReturnCode#BAD_PARAMETER}, {@link GsLimits}). "Nothing" is checked on every gateway's views (sequence
 * number, members, state) and, where the engine keeps one, on its table (clients, groups).
 */
public class LimitsTest {

    private static SimCluster cluster(int nodes, int clients, int groups, int providers) {
        return new SimCluster(7, nodes, SimFaults.LAN, EngineLog.NONE,
                n -> EngineConfig.forNode(n).withLimits(clients, groups, providers));
    }

    private static GsException fails(ReturnCode code, ThrowingRunnable call) {
        GsException e = assertThrows(GsException.class, call);
        assertEquals(e.getMessage(), code, e.returnCode());
        return e;
    }

    /** Every gateway's views of every group, as text: compared before and after a refused call. */
    private static List<String> views(SimCluster c) {
        List<String> all = new ArrayList<>();
        for (int n : c.nodeNumbers()) {
            for (GroupView v : c.node(n).groups()) {
                all.add(n + ":" + v.group() + "@" + v.seq() + v.members() + v.state() + v.running());
            }
        }
        return all;
    }

    @Test
    public void clientSessionsBeyondTheLimitAreRefusedUntilOneQuits() {
        SimCluster c = cluster(1, 2, 8, 8);
        GsClient a = c.node(1).init(ClientOptions.named("a"));
        c.node(1).init(ClientOptions.named("b"));
        GsException e = fails(ReturnCode.LIMIT_REACHED, () -> c.node(1).init(ClientOptions.named("c")));
        assertTrue(e.getMessage(), e.getMessage().contains("the limit of 2 client sessions (maxClients"));
        fails(ReturnCode.LIMIT_REACHED, () -> c.node(1).init(ClientOptions.named("c")));
        a.quit();
        assertEquals("c", c.node(1).init(ClientOptions.named("c")).name());
    }

    @Test
    public void aGatewayInAsManyGroupsAsAllowedEntersNoOtherUntilItLeavesOne() {
        SimCluster c = cluster(2, 8, 2, 8);
        List<DelayedErrorNotification> errors = new ArrayList<>();
        GsClient client = c.node(1).init(ClientOptions.named("limited").withDelayedErrorCallback(errors::add));
        TestProvider g1 = new TestProvider("p1a", client, c.events).join("g1", 1, GroupAttributes.DEFAULT);
        TestProvider g2 = new TestProvider("p1b", client, c.events).join("g2", 1, GroupAttributes.DEFAULT);
        c.await("both groups formed", () -> c.view(1, "g1") != null && c.view(1, "g2") != null
                && c.view(1, "g1").members().size() == 1 && c.view(1, "g2").members().size() == 1, 30_000);
        c.runFor(100);
        List<String> before = views(c);

        TestProvider third = new TestProvider("p1c", client, c.events);
        GsException e = fails(ReturnCode.LIMIT_REACHED, () -> client.join(JoinRequest.of("g3", 1, third)));
        assertTrue(e.getMessage(), e.getMessage().contains("this gateway is in 2 groups")
                && e.getMessage().contains("maxGroups"));
        fails(ReturnCode.LIMIT_REACHED, () -> client.subscribe(new SubscribeRequest("g3", Set.of(SubscriptionFlag.STATE),
                n -> { })));
        c.runFor(2_000);
        assertEquals("nothing changed on any gateway", before, views(c));
        assertNull("no group g3 was made", c.view(2, "g3"));
        assertTrue(errors.toString(), errors.isEmpty());

        // Another provider in a group the gateway is already in is no new group.
        new TestProvider("p1d", client, c.events).join("g1", 2, GroupAttributes.DEFAULT);
        c.await("second provider in g1", () -> c.view(1, "g1").members().size() == 2, 30_000);

        // Leaving g2 makes room.
        client.goodbyeAsync(g2.token);
        c.await("g2 dissolved", () -> c.view(1, "g2") == null || c.view(1, "g2").members().isEmpty(), 30_000);
        third.join("g3", 1, GroupAttributes.DEFAULT);
        c.await("g3 formed", () -> c.view(1, "g3") != null && c.view(1, "g3").members().size() == 1, 30_000);
        assertTrue(errors.toString(), errors.isEmpty());
        assertEquals(2, c.view(1, "g1").members().size());
        assertTrue(g1.received.size() > 0);
    }

    @Test
    public void aFullGroupRefusesJoinsAtOnceWhereItIsSeenAndAsADelayedErrorElsewhere() {
        SimCluster c = cluster(3, 8, 8, 3);
        // Nodes 1 and 2 fill the group with three providers; node 3 is not in it and has no view of it.
        List<DelayedErrorNotification> errors1 = new ArrayList<>();
        List<DelayedErrorNotification> errors3 = new ArrayList<>();
        GsClient one = c.node(1).init(ClientOptions.named("one").withDelayedErrorCallback(errors1::add));
        GsClient two = c.node(2).init(ClientOptions.named("two"));
        GsClient three = c.node(3).init(ClientOptions.named("three").withDelayedErrorCallback(errors3::add));
        new TestProvider("p1a", one, c.events).join("line", 1, GroupAttributes.DEFAULT);
        new TestProvider("p1b", one, c.events).join("line", 2, GroupAttributes.DEFAULT);
        TestProvider p2 = new TestProvider("p2a", two, c.events).join("line", 1, GroupAttributes.DEFAULT);
        c.await("three members", () -> c.view(1, "line") != null && c.view(1, "line").members().size() == 3
                && c.view(2, "line") != null && c.view(2, "line").members().size() == 3
                && c.view(1, "line").running().isEmpty(), 30_000);
        p2.client.changeStateValue(p2.token, state1("full"));
        c.await("state applied", () -> c.view(1, "line").state().equals(StateValue.ofUtf8("full"))
                && c.view(2, "line").state().equals(StateValue.ofUtf8("full")), 30_000);
        c.runFor(100);
        List<String> before = views(c);

        // Node 1 sees the group full: refused at once.
        TestProvider fourth = new TestProvider("p1c", one, c.events);
        GsException e = fails(ReturnCode.LIMIT_REACHED, () -> one.join(JoinRequest.of("line", 3, fourth)));
        assertTrue(e.getMessage(), e.getMessage().contains("with 3 providers") && e.getMessage().contains("maxProvidersPerGroup"));

        // Node 3 does not see it: the coordinator refuses, as a delayed error of the join.
        TestProvider outsider = new TestProvider("p3a", three, c.events).join("line", 1, GroupAttributes.DEFAULT);
        c.await("delayed error on node 3", () -> !errors3.isEmpty(), 30_000);
        DelayedErrorNotification d = errors3.get(0);
        assertEquals(ReturnCode.LIMIT_REACHED, d.returnCode());
        assertEquals(ProtocolType.JOIN, d.protocolType());
        assertEquals(outsider.token, d.requestToken());
        c.runFor(2_000);
        assertEquals("nothing changed on any gateway", before, views(c).stream().filter(v -> !v.startsWith("3:")).toList());
        assertTrue(errors1.toString(), errors1.isEmpty());
        assertEquals(1, errors3.size());
    }

    @Test
    public void tooLargeStateValuesAndMessagesAreBadParametersAndChangeNothing() {
        GroupFixture f = new GroupFixture(3, 2, 1, "g", GroupAttributes.DEFAULT);
        TestProvider p = f.p(1, 1);
        p.client.changeStateValue(p.token, state1("before"));
        f.settle();
        List<String> before = views(f.c);
        byte[] tooBig = new byte[GsLimits.MAX_STATE_BYTES + 1];
        GsException e = fails(ReturnCode.BAD_PARAMETER, () -> p.client.changeStateValue(p.token,
                new StateChangeRequest(Voting.ONE_PHASE, StateValue.of(tooBig))));
        assertTrue(e.getMessage(), e.getMessage().contains("state value of " + tooBig.length + " bytes"));
        fails(ReturnCode.BAD_PARAMETER, () -> p.client.sendMessage(p.token,
                new MessageRequest(Voting.ONE_PHASE, ProviderMessage.of(new byte[GsLimits.MAX_MESSAGE_BYTES + 1]))));
        f.c.runFor(1_000);
        assertEquals(before, views(f.c));
        assertTrue(f.delayedErrors.toString(), f.delayedErrors.values().stream().allMatch(List::isEmpty));

        // At the limits themselves both are accepted.
        p.client.changeStateValue(p.token, new StateChangeRequest(Voting.ONE_PHASE,
                StateValue.of(new byte[GsLimits.MAX_STATE_BYTES])));
        f.settle();
        assertEquals(GsLimits.MAX_STATE_BYTES, f.view().state().size());
        p.client.sendMessage(p.token, new MessageRequest(Voting.ONE_PHASE,
                ProviderMessage.of(new byte[GsLimits.MAX_MESSAGE_BYTES])));
        f.settle();
    }
}
