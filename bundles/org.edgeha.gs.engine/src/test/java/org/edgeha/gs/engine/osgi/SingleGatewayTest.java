package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertTrue;

import org.edgeha.gs.engine.sim.RealTimeCluster;
import org.junit.Test;

/** One gateway alone (the runtime without a transport): the shell's provider forms the group. */
public class SingleGatewayTest {

    @Test(timeout = 30_000)
    public void aGatewayAloneFormsAGroup() throws Exception {
        try (RealTimeCluster c = new RealTimeCluster(1)) {
            GsCommands shell = new GsCommands(c.node(1));
            assertTrue(shell.join("line-1", "running").startsWith("joining line-1"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && c.node(1).group("line-1").isEmpty()) {
                Thread.sleep(20);
            }
            assertTrue(shell.groups(), c.node(1).group("line-1").isPresent());
            shell.deactivate();
        }
    }
}
