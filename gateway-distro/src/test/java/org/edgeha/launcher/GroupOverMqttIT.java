package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Group Services between three real gateway processes over one private Mosquitto (issue 5's first scenario). */
public class GroupOverMqttIT {

    private static final int KEEPALIVE_S = 4;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private GatewayGroup group;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), KEEPALIVE_S, 1).watch(broker.uri());
    }

    @After
    public void tearDown() throws Exception {
        group.close();
        broker.close();
    }

    @Test
    public void threeGatewaysFormAGroupAgreeOnATwoPhaseChangeAndRemoveAKilledOneWithinOneAndAHalfKeepalives()
            throws Exception {
        for (int node = 1; node <= 3; node++) {
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 3; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:join line1", "joining line1").isPresent());
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);

        assertTrue(group.outputs(), group.ask(2, "gs:state line1 filling --phases 2", "proposed filling").isPresent());
        String approved = group.awaitView("line1", v -> "filling".equals(v.state()), 20, TimeUnit.SECONDS);
        long seq = GatewayGroup.View.parse(approved).seq();
        for (int node = 1; node <= 3; node++) {
            // every member applied the same protocol under the same sequence number
            assertTrue(group.outputs(), group.ask(node, "gs:view line1", "seq          " + seq).isPresent());
            assertTrue(group.outputs(), group.ask(node, "gs:view line1", "state        \"filling\"").isPresent());
        }

        long killedAt = System.nanoTime();
        group.kill(3);
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2)), 30, TimeUnit.SECONDS);
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("GroupOverMqttIT: 2-member view " + detectedMillis + " ms after kill -9 (keepalive "
                + KEEPALIVE_S + " s, will delay 1 s)");
        assertTrue("failure-leave after " + detectedMillis + " ms; 1.5 x keepalive is " + KEEPALIVE_S * 1500 + " ms",
                detectedMillis <= KEEPALIVE_S * 1500);
        assertTrue(group.outputs(), group.ask(1, "gs:view line1", "members      [1/9999, 2/9999]").isPresent());

        group.start(3, broker.uri()); // same home: a new incarnation of node 3
        assertTrue(group.outputs(), group.ask(3, "gs:join line1", "joining line1").isPresent());
        String back = group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        assertEquals("the restarted gateway caught up with the state", "filling", GatewayGroup.View.parse(back).state());
        assertTrue(group.outputs(), group.ask(3, "gs:view line1", "state        \"filling\"").isPresent());
    }
}
