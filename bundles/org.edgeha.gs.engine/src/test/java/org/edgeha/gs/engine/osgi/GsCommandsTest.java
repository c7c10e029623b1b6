package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.RealTimeScheduler;
import org.edgeha.gs.engine.node.GsNode;
import org.edgeha.gs.engine.sim.InMemoryTransport;
import org.edgeha.gs.engine.sim.Monitor;
import org.edgeha.gs.engine.sim.RealTimeCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.SimNetwork;
import org.edgeha.gs.engine.sim.TestProvider;
import org.junit.Test;

/** The gs: shell scope against two gateways, with real threads (the commands may block). */
public class GsCommandsTest {

    @Test(timeout = 30_000)
    public void theShellJoinsProposesBroadcastsWatchesAndLeaves() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(1));
            TestProvider peer = new TestProvider("peer", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("peer")),
                    new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-1", 1, GroupAttributes.DEFAULT);
            assertEquals("no groups on node 1", shell.groups());
            assertTrue(shell.join("line-1", "running").startsWith("joining line-1 as 1/9999"));
            assertTrue(poll.await(() -> c.node(2).group("line-1").map(v -> v.members().size() == 2
                    && "running".equals(v.state().asUtf8())).orElse(false), 10_000));
            assertTrue(shell.groups(), shell.groups().contains("line-1"));
            assertTrue(shell.state(2, "line-1", "stopped").startsWith("proposed"));
            assertTrue(poll.await(() -> c.node(2).group("line-1").map(v -> "stopped".equals(v.state().asUtf8()))
                    .orElse(false), 10_000));
            assertEquals("sent to line-1", shell.send("line-1", "hello"));
            assertTrue(poll.await(() -> peer.finals().stream().anyMatch(f -> f.contains("MESSAGE:approved")), 10_000));
            assertTrue(shell.subscribe("line-1").startsWith("watching"));
            String view = shell.view("line-1");
            assertTrue(view, view.contains("members      [1/9999, 2/1]") && view.contains("state        \"stopped\""));
            assertTrue(view, view.contains("approved MESSAGE"));
            assertEquals("left line-1", shell.leave("line-1"));
            // goodbye returns once the removal is applied on this gateway; the peer sees it shortly after
            assertTrue(c.node(1).group("line-1").map(v -> !v.members().contains(new ProviderId(1, 9999))).orElse(true));
            assertTrue(poll.await(() -> c.node(2).group("line-1").orElseThrow().members()
                    .equals(java.util.List.of(new ProviderId(2, 1))), 10_000));
            assertTrue(shell.state(1, "line-1", "x").startsWith("the shell has no provider"));
            assertTrue(shell.view("nope").contains("does not know group nope"));
            shell.deactivate();
        }
    }
    /**
     * Issue 15, "every API capability has a command": expel, attribute change, goodbye and unsubscribe from the shell;
     * a subscription to a group nobody has says so under its own name (UNKNOWN_GROUP), not among another group's
     * events; a watched group that dissolves shows "dissolved at seq N".
     */
    @Test(timeout = 60_000)
    public void theShellExpelsChangesAttributesSaysGoodbyeAndWatchesAGroupDissolve() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(1));
            org.edgeha.gs.engine.sim.EventLog log = new org.edgeha.gs.engine.sim.EventLog(
                    new org.edgeha.gs.engine.sim.VirtualScheduler());
            TestProvider peer = new TestProvider("peer", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("peer")
                    .withDeactivateHandler(org.edgeha.gs.api.DeactivateHandler.SUCCEED)), log).join("line-1", 1, GroupAttributes.DEFAULT);
            assertTrue(poll.await(() -> c.node(2).group("line-1").isPresent(), 10_000));

            // subscribe: the current view at once; a group nobody has: UNKNOWN_GROUP under its own name
            String watching = shell.subscribe("line-1");
            assertTrue(watching, watching.startsWith("watching line-1: seq ") && watching.contains("[2/1]"));
            String unknown = shell.subscribe("nosuchgroup");
            assertEquals("gs:subscribe: no group nosuchgroup in the domain (UNKNOWN_GROUP); not watching it", unknown);
            assertTrue(shell.join("line-1").startsWith("joining line-1"));
            assertTrue(poll.await(() -> shell.view("line-1").contains("members      [1/9999, 2/1]"), 10_000));
            assertTrue(shell.view("line-1"), !shell.view("line-1").contains("UNKNOWN_GROUP"));
            assertTrue(shell.view("nosuchgroup").contains("does not know group nosuchgroup"));

            // attribute change
            assertTrue(shell.attributes("line-1", "defaultVote=reject,timeLimit=20").startsWith("proposed attributes"));
            assertTrue(poll.await(() -> c.node(2).group("line-1").map(v -> v.attributes().defaultVote()
                    == org.edgeha.gs.api.DefaultVote.REJECT && v.attributes().systemTimeLimit().getSeconds() == 20)
                    .orElse(false), 10_000));
            assertTrue(shell.attributes("line-1", "colour=red").startsWith("gs:attributes: no attribute 'colour'"));
            assertTrue(shell.attributes("line-1", "systemPhases=three").contains("is not a valid value"));

            peer.client.goodbye(peer.token);
            assertTrue(poll.await(() -> c.node(1).group("line-1").map(v -> v.members()
                    .equals(List.of(new ProviderId(1, 9999)))).orElse(false), 10_000));
            // goodbye: the last member goes, the group dissolves; the subscription says so
            assertEquals("said goodbye to line-1", shell.goodbye("line-1"));
            assertTrue(poll.await(() -> c.node(1).group("line-1").isEmpty(), 10_000));
            assertTrue(poll.await(() -> shell.view("line-1").startsWith("group line-1 dissolved at seq "), 10_000));
            assertTrue(shell.view("line-1"), shell.view("line-1").contains("DISSOLVED at seq"));
            assertEquals("the shell has no provider in line-1", shell.goodbye("line-1"));

            // unsubscribe
            assertEquals("no longer watching line-1", shell.unsubscribe("line-1"));
            assertEquals("the shell does not watch line-1", shell.unsubscribe("line-1"));
            // expel, proposed on the coordinator's gateway (node 1) against node 2's provider: it completes
            TestProvider other = new TestProvider("other", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("other")
                    .withDeactivateHandler(org.edgeha.gs.api.DeactivateHandler.SUCCEED)), log)
                    .join("line-2", 1, GroupAttributes.DEFAULT);
            assertTrue(poll.await(() -> c.node(2).group("line-2").isPresent(), 10_000));
            assertTrue(shell.join("line-2").startsWith("joining line-2"));
            assertTrue(poll.await(() -> shell.view("line-2").contains("members      [1/9999, 2/1]"), 10_000));
            assertTrue(shell.expel("line-2", "two").startsWith("gs:expel: 'two' is not a provider"));
            assertTrue(shell.expel("line-2", "2/1").startsWith("proposed to expel [2/1] from line-2"));
            assertTrue(shell.view("line-2"), poll.await(() -> shell.view("line-2").contains("members      [1/9999]")
                    && shell.view("line-2").contains("approved EXPEL"), 10_000));
            assertTrue(poll.await(() -> other.finals().stream().anyMatch(f -> f.endsWith(":EXPEL:approved")), 10_000));
            shell.deactivate();
        }
    }

    /**
     * gs:join brings the group's own attributes when the gateway knows the group: a group whose attributes are not the
     * defaults (set by its first joiner or changed with gs:attributes) refused the shell's join with the defaults
     * (BAD_GROUP_ATTRIBUTES) while the shell said "joining".
     */
    @Test(timeout = 60_000)
    public void theShellJoinsAGroupWhoseAttributesAreNotTheDefaults() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(1));
            new TestProvider("peer", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("peer")),
                    new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-3", 1, GroupAttributes.DEFAULT.withDefaultVote(org.edgeha.gs.api.DefaultVote.REJECT));
            assertTrue(poll.await(() -> c.node(2).group("line-3").isPresent(), 10_000));
            assertTrue(shell.subscribe("line-3").startsWith("watching line-3"));
            assertTrue(shell.join("line-3").startsWith("joining line-3"));
            assertTrue(shell.view("line-3"), poll.await(() -> shell.view("line-3").contains("members      [1/9999, 2/1]"),
                    10_000));
            shell.deactivate();
        }
    }

    /**
     * gs:join waits for the join's outcome: a member, with the sequence number of its join, or refused with the
     * reason as the command's answer (a group this gateway does not know, whose attributes are not the defaults:
     * BAD_GROUP_ATTRIBUTES), not "joining" followed by a refusal among later events.
     */
    @Test(timeout = 60_000)
    public void theShellSaysWhetherTheJoinWasApprovedOrRefused() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(1));
            new TestProvider("peer", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("peer")),
                    new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-4", 1, GroupAttributes.DEFAULT.withDefaultVote(org.edgeha.gs.api.DefaultVote.REJECT));
            assertTrue(poll.await(() -> c.node(2).group("line-4").isPresent(), 10_000));
            String refused = shell.join("line-4");
            assertTrue(refused, refused.startsWith("joining line-4 as 1/9999: refused (BAD_GROUP_ATTRIBUTES"));
            assertTrue(refused, refused.endsWith("gs:subscribe line-4 lets this gateway learn them, then gs:join line-4 again"));
            assertTrue(shell.subscribe("line-4").startsWith("watching line-4"));
            String second = shell.join("line-4");
            assertTrue(second, second.startsWith("joining line-4 as 1/9999 (the previous provider had lost its membership): member at seq "));
            String member = shell.join("line-5", "running");
            assertTrue(member, member.matches("joining line-5 as 1/9999, then proposing running: member at seq \\d+"));
            shell.deactivate();
        }
    }

    /** gs:expel removes the provider named: proposed by the shell of node 2 against a provider of node 1. */
    @Test(timeout = 60_000)
    public void theShellExpelsAProviderOfAnotherGateway() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(2));
            new TestProvider("other", c.node(1).init(org.edgeha.gs.api.ClientOptions.named("other")),
                    new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-2", 1, GroupAttributes.DEFAULT);
            assertTrue(poll.await(() -> c.node(1).group("line-2").isPresent(), 10_000));
            assertTrue(shell.join("line-2").startsWith("joining line-2"));
            assertTrue(poll.await(() -> shell.view("line-2").contains("members      [1/1, 2/9999]"), 10_000));
            assertEquals("proposed to expel [1/1] from line-2 (gs:view line-2 shows the outcome)", shell.expel("line-2", "1/1"));
            assertTrue(shell.view("line-2"), poll.await(() -> shell.view("line-2").contains("members      [2/9999]"), 10_000));
            // node 1, with no member left, may keep the group or drop it
            assertTrue(poll.await(() -> c.node(1).group("line-2").map(v -> v.members()
                    .equals(List.of(new ProviderId(2, 9999)))).orElse(true), 10_000));
            shell.deactivate();
        }
    }

    /**
     * gs:expel on the coordinator's gateway (node 1) against a provider of node 2 completes too: the target's
     * deactivate action runs, the expel is approved and node 2's provider is told (it was reported to stay at phase 1).
     */
    @Test(timeout = 60_000)
    public void theShellOnTheCoordinatorsGatewayExpelsAProviderOfAnotherGateway() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(2)) {
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(c.node(1));
            List<String> deactivated = java.util.Collections.synchronizedList(new ArrayList<>());
            TestProvider other = new TestProvider("other", c.node(2).init(org.edgeha.gs.api.ClientOptions.named("other")
                    .withDeactivateHandler(r -> {
                        deactivated.add(r.flag());
                        return java.util.concurrent.CompletableFuture.completedFuture(0);
                    })), new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-3", 1, GroupAttributes.DEFAULT);
            assertTrue(poll.await(() -> c.node(2).group("line-3").isPresent(), 10_000));
            assertTrue(shell.join("line-3").startsWith("joining line-3"));
            assertTrue(poll.await(() -> shell.view("line-3").contains("members      [1/9999, 2/1]"), 10_000));
            assertTrue(shell.view("line-3"), shell.view("line-3").contains("coordinator  node 1"));
            assertEquals("proposed to expel [2/1] from line-3 (gs:view line-3 shows the outcome)", shell.expel("line-3", "2/1"));
            assertTrue(shell.view("line-3"), poll.await(() -> shell.view("line-3").contains("members      [1/9999]")
                    && shell.view("line-3").contains("running      -")
                    && shell.view("line-3").contains("approved EXPEL"), 10_000));
            assertTrue(poll.await(() -> other.finals().stream().anyMatch(f -> f.endsWith(":EXPEL:approved")), 10_000));
            assertEquals(List.of("shell"), deactivated);
            shell.deactivate();
        }
    }

    /** A gateway declared failed while away ends the shell's provider: gs:join must then join afresh. */
    @Test(timeout = 30_000)
    public void theShellJoinsAgainAfterItsGatewayLostItsMembership() throws Exception {
        ExecutorService callbacks = Executors.newFixedThreadPool(2);
        try (RealTimeScheduler scheduler = new RealTimeScheduler("gs-net", EngineLog.NONE)) {
            SimNetwork network = new SimNetwork(scheduler, 1, new SimFaults(0, 0, 0, 0, 200, 0));
            List<GsNode> nodes = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                InMemoryTransport t = network.transport(i);
                GsNode node = new GsNode(EngineConfig.forNode(i), t, t.scheduler(), callbacks, EngineLog.NONE);
                node.start();
                nodes.add(node);
            }
            Monitor poll = new Monitor();
            GsCommands shell = new GsCommands(nodes.get(1));
            new TestProvider("peer", nodes.get(0).init(org.edgeha.gs.api.ClientOptions.named("peer")),
                    new org.edgeha.gs.engine.sim.EventLog(new org.edgeha.gs.engine.sim.VirtualScheduler()))
                    .join("line-1", 1, GroupAttributes.DEFAULT);
            List<ProviderId> both = List.of(new ProviderId(1, 1), new ProviderId(2, 9999));
            assertTrue(shell.join("line-1").startsWith("joining line-1 as 2/9999"));
            assertTrue(poll.await(() -> nodes.get(0).group("line-1").map(v -> v.members().equals(both)).orElse(false),
                    10_000));
            assertEquals("the shell already has a provider in line-1", shell.join("line-1"));

            network.disconnect(2); // longer than the will delay: node 2 is failed, and comes back as a new incarnation
            assertTrue(poll.await(() -> nodes.get(0).group("line-1").orElseThrow().members()
                    .equals(List.of(new ProviderId(1, 1))), 10_000));
            network.reconnect(2);
            String again = "";
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline
                    && !again.startsWith("joining"); Thread.sleep(20)) {
                again = shell.join("line-1"); // until the shell has heard of the lost membership
            }
            assertTrue(again, again.startsWith("joining line-1 as 2/9999 (the previous provider had lost its membership):"
                    + " member at seq "));
            assertTrue(poll.await(() -> nodes.get(0).group("line-1").map(v -> v.members().equals(both)).orElse(false),
                    10_000));
            assertTrue(poll.await(() -> nodes.get(1).group("line-1").map(v -> v.members().equals(both)).orElse(false),
                    10_000));
            shell.deactivate();
            nodes.forEach(GsNode::stop);
        } finally {
            callbacks.shutdownNow();
        }
    }
}
