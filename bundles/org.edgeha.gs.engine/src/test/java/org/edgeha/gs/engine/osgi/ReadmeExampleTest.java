package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.junit.Test;

import com.example.pumps.PumpSetpoint;

/** The README's "Write a group-aware service" example, as the whiteboard runs it, on three gateways. */
public class ReadmeExampleTest {

    @Test
    public void threeGatewaysAgreeOnASetpointAndRefuseABadOne() {
        SimCluster c = new SimCluster(7, 3, SimFaults.LAN);
        List<PumpSetpoint> pumps = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            WhiteboardCallbacks hooks = new WhiteboardCallbacks();
            c.node(n).hooks(hooks);
            ProviderWhiteboard wb = new ProviderWhiteboard(c.node(n), EngineLog.NONE, hooks, c.scheduler);
            PumpSetpoint pump = new PumpSetpoint();
            // the properties DS derives from @GsGroupName("pumps") @GsInstance(1)
            wb.addProvider(pump, Map.of("service.id", 100L + n, GsWhiteboard.GROUP_NAME, new String[] {"pumps"},
                    GsWhiteboard.INSTANCE, 1));
            pumps.add(pump);
        }
        c.await("line formed", () -> c.view(3, "pumps") != null && c.view(3, "pumps").members().size() == 3
                && c.view(3, "pumps").running().isEmpty(), 30_000);
        c.runFor(100);
        pumps.get(1).propose(1_450);
        c.await("applied everywhere", () -> pumps.stream().allMatch(p -> p.rpm() == 1_450), 10_000);
        pumps.get(2).propose(9_000); // out of range: every gateway votes reject
        c.runFor(3_000);
        pumps.forEach(p -> assertEquals(1_450, p.rpm()));
        assertEquals("1450", c.view(1, "pumps").state().asUtf8());
        c.assertHealthy();
    }
}
