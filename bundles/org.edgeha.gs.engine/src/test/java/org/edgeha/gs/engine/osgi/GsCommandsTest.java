package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.engine.sim.Monitor;
import org.edgeha.gs.engine.sim.RealTimeCluster;
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
            assertTrue(shell.state("line-1", "stopped", "--phases", 2).startsWith("proposed"));
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
            assertTrue(shell.state("line-1", "x").startsWith("the shell has no provider"));
            assertTrue(shell.view("nope").contains("does not know group nope"));
            shell.deactivate();
        }
    }
}
