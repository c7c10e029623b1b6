package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertTrue;


import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The DS component as the gateway runs it without a transport: one gateway alone forms a group. */
public class EngineComponentAloneTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test(timeout = 30_000)
    public void theShellsProviderFormsAGroupOnAGatewayAlone() throws Exception {
        EngineComponent engine = StandaloneEngine.start(tmp.getRoot().toPath(), Boolean.getBoolean("gs.debug"),
                Boolean.getBoolean("gs.debug"));
        GsCommands shell = new GsCommands(engine);
        assertTrue(shell.join("line-1", "running").startsWith("joining line-1"));
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && engine.group("line-1").isEmpty()) {
            Thread.sleep(20);
        }
        assertTrue(shell.groups(), engine.group("line-1").isPresent());
        shell.deactivate();
    }
}
