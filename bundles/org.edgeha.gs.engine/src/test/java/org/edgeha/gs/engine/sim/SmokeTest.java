package org.edgeha.gs.engine.sim;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Voting;
import org.junit.Test;

public class SmokeTest {

    @Test
    public void threeGatewaysJoinAndChangeState() {
        SimCluster c = new SimCluster(1, 3, SimFaults.LAN);
        List<TestProvider> ps = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            ps.add(new TestProvider("p" + n, c.client(n, "c" + n), c.events).join("g", 1, GroupAttributes.DEFAULT));
        }
        c.await("all joined", () -> c.view(1, "g") != null && c.view(1, "g").members().size() == 3
                && c.view(3, "g") != null && c.view(3, "g").members().size() == 3, 10_000);
        c.runFor(100);
        ps.get(0).client.changeStateValue(ps.get(0).token,
                new StateChangeRequest(Voting.nPhase(Duration.ofSeconds(5)), StateValue.ofUtf8("hello")));
        c.await("state applied", () -> ps.stream().allMatch(p -> p.last(ApprovedNotification.class) != null
                && p.last(ApprovedNotification.class).proposal().currentState().equals(StateValue.ofUtf8("hello"))), 10_000);
        for (int n = 1; n <= 3; n++) {
            assertEquals(c.view(1, "g").seq(), c.view(n, "g").seq());
            assertEquals(StateValue.ofUtf8("hello"), c.view(n, "g").state());
        }
        c.assertHealthy();
    }
}
