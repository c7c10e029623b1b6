package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Limits configured through {@code etc/} on a real gateway (ConfigAdmin and the metatype defaults end to end): a
 * join beyond {@code maxGroups} of {@code org.edgeha.gs.engine} is {@code LIMIT_REACHED} and leaves the groups as
 * they were; a publish beyond {@code max.message.bytes} of {@code org.edgeha.mqtt} is refused as too large and leaves
 * the store as it was. The engine logs the limits it runs with.
 */
public class LimitsIT {

    @Rule
    public Timeout timeout = new Timeout(180, TimeUnit.SECONDS);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private GatewayGroup group;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1).watch(broker.uri());
    }

    @After
    public void tearDown() throws Exception {
        group.close();
        broker.close();
    }

    @Test
    public void aJoinBeyondMaxGroupsAndAPublishBeyondTheMessageSizeAreRefusedAndChangeNothing() throws Exception {
        Path etc = Files.createDirectories(group.home(1).resolve("etc"));
        Files.writeString(etc.resolve("org.edgeha.gs.engine.cfg"), "maxGroups=2\nmaxProvidersPerGroup=8\n");
        group.start(1, broker.uri(), "max.message.bytes=1024\n");
        expect("gs:join line1", "joining line1");
        expect("gs:join line2", "joining line2");
        group.awaitView("line2", v -> v.nodes().equals(List.of(1)), 20, TimeUnit.SECONDS);
        String before = expect("gs:groups", "line2");

        String refused = expect("gs:join line3", "LIMIT_REACHED");
        assertTrue(refused, refused.contains("this gateway is in 2 groups: the limit of 2 (maxGroups of org.edgeha.gs.engine) is reached"));
        Thread.sleep(1_000);
        assertEquals("the groups are unchanged", before, expect("gs:groups", "line2"));
        assertTrue(group.view("line3").isEmpty());
        expect("gs:view line3", "does not know group line3");
        String log = group.log(1);
        assertTrue(log, log.contains("limits: 256 client sessions, 2 groups, 8 providers per group"));

        String depth = storeDepth();
        String tooLarge = expect("mqtt:publish plant/big " + "x".repeat(1025), "mqtt:publish: rejected");
        assertTrue(tooLarge, tooLarge.contains("has 1025 bytes; the limit is 1024"));
        assertEquals("the store is unchanged", depth, storeDepth());
        expect("mqtt:publish plant/small " + "x".repeat(1024), "accepted");
        System.out.println("LimitsIT: " + refused.trim() + " / " + tooLarge.trim());
    }

    /** {@code store: N message(s), M bytes} of mqtt:status (the forwarded count moves with the group's own traffic). */
    private String storeDepth() throws Exception {
        String line = expect("mqtt:status", "store: ");
        return line.substring(line.indexOf("store: "), line.indexOf(';'));
    }

    private String expect(String command, String expected) throws Exception {
        return group.ask(1, command, expected).orElseThrow(() -> new AssertionError("'" + command + "' never printed '"
                + expected + "'\n" + group.outputs()));
    }
}
