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
            assertEquals("joining line-1 as 2/9999 (the previous provider had lost its membership)", again);
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
