package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Editing {@code etc/} on running gateways (issue 14, cases 4 and 9): a change of {@code org.edgeha.mqtt} or
 * {@code org.edgeha.gs.mqtt} (the domain key included) keeps the shell's providers in their groups, the group's
 * sequence number and state, and the gateway's incarnation; a bad value gives one ERROR line naming PID, key and
 * reason, no stack trace, and the running settings stay. Before, either edit restarted Group Services: the group
 * went back to seq 1 with an empty state, the shell's provider vanished, and nothing was said.
 */
public class ReconfigurationIT {

    private static final int KEEPALIVE_S = 4;
    private static final int WILL_DELAY_S = 5;
    private static final Pattern INCARNATION = Pattern.compile("incarnation (\\d+)");
    /** A line of a stack trace, or the first line of one. */
    private static final Pattern TRACE = Pattern.compile("^\\s+at |^Caused by|Exception|^\\s+\\.\\.\\. \\d+ more");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private GatewayGroup group;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), KEEPALIVE_S, WILL_DELAY_S).watch(broker.uri());
    }

    /** Gateways 1 and 2, the shell's provider of each in line1, its state "filling". */
    private void twoGatewaysInAGroup() throws Exception {
        for (int node = 1; node <= 2; node++) {
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 2; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:join line1", "joining line1").isPresent());
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2)), 30, TimeUnit.SECONDS);
        assertTrue(group.outputs(), group.ask(2, "gs:state line1 filling --phases 2", "proposed filling").isPresent());
        group.awaitView("line1", v -> "filling".equals(v.state()), 20, TimeUnit.SECONDS);
    }

    @After
    public void tearDown() throws Exception {
        group.close();
        broker.close();
    }

    @Test
    public void editingTheMqttConfigurationKeepsTheShellsProvidersAndTheIncarnation() throws Exception {
        twoGatewaysInAGroup();
        long seq = GsConsole.view(group, 1, "line1").seq();
        long incarnation = incarnation(1);
        int views = group.viewHistory("line1").size();
        int lines = group.gateway(1).lineCount();

        // A harmless change, but one that a CONNECT carries: the link connects again.
        writeMqttConfig(1, "keepalive.s=" + (KEEPALIVE_S + 1) + "\n");
        awaitLogCount(1, "MQTT default connected to", 2);
        Thread.sleep(TimeUnit.SECONDS.toMillis(WILL_DELAY_S + 1)); // a will published by mistake would be out now
        assertGroupKept(seq, "filling", views);
        String status = mqttStatus(1);
        assertEquals("the same incarnation:\n" + status, incarnation, incarnation(1));
        assertTrue(status, status.contains("CONNECTED") && status.contains("(session resumed)"));
        awaitLog(1, "configuration org.edgeha.mqtt changed (keepalive.s); applied in place by connecting again");
        assertNothingAlarming(1, lines);

        // A bad value: one ERROR line naming PID, key and reason; the connection goes on as it was.
        lines = group.gateway(1).lineCount();
        writeMqttConfig(1, "keepalive.s=ten\n");
        String error = group.gateway(1).awaitLineAfter(lines, l -> l.contains("ERROR"), 20, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("no ERROR line:\n" + group.outputs()));
        assertTrue(error, error.contains("org.edgeha.mqtt") && error.contains("keepalive.s: not a whole number"));
        Thread.sleep(3_000); // FileInstall polls every second: anything else it caused is out by now
        for (int i = 0; i < 2; i++) { // every mqtt:status used to print another trace
            status = mqttStatus(1);
            assertTrue(status, status.contains("configuration org.edgeha.mqtt is wrong: keepalive.s: not a whole number"));
            assertTrue(status, status.contains("CONNECTED"));
        }
        List<String> after = newLines(1, lines);
        assertEquals("one ERROR line:\n" + String.join("\n", after), 1,
                after.stream().filter(l -> l.contains("ERROR")).count());
        assertTrue("no stack trace:\n" + String.join("\n", after), after.stream().noneMatch(l -> TRACE.matcher(l).find()));
        assertEquals(incarnation, incarnation(1));

        // Put right again: said in the log, gone from mqtt:status.
        writeMqttConfig(1, "keepalive.s=" + (KEEPALIVE_S + 1) + "\n");
        awaitLog(1, "configuration org.edgeha.mqtt is right again");
        assertFalse(mqttStatus(1).contains("is wrong"));
        assertGroupKept(seq, "filling", views);
    }

    @Test
    public void writingTheDomainKeyOnEveryGatewayKeepsTheGroupItsStateAndTheShellsProviders() throws Exception {
        twoGatewaysInAGroup();
        long seq = GsConsole.view(group, 1, "line1").seq();
        long[] incarnations = {incarnation(1), incarnation(2)};
        int views = group.viewHistory("line1").size();
        int[] lines = {group.gateway(1).lineCount(), group.gateway(2).lineCount()};

        for (int node = 1; node <= 2; node++) {
            Files.writeString(etc(node).resolve("org.edgeha.gs.mqtt.cfg"), ".domain.key=a-new-domain-secret\n");
        }
        Thread.sleep(4_000); // FileInstall polls every second
        assertGroupKept(seq, "filling", views);
        for (int node = 1; node <= 2; node++) {
            assertEquals("the same incarnation at " + node, incarnations[node - 1], incarnation(node));
            // said on the console, once, with what to do
            int n = node;
            String warn = group.gateway(node).awaitLineAfter(lines[node - 1], l -> l.contains("the domain key changed"),
                    20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("not said at " + n + ":\n" + group.outputs()));
            assertTrue(warn, warn.contains("change it on every gateway of the domain"));
            assertNothingAlarming(node, lines[node - 1]);
        }

        // The group works under the new key: a two-phase change goes through both gateways.
        assertTrue(group.outputs(), group.ask(1, "gs:state line1 draining --phases 2", "proposed draining").isPresent());
        String drained = group.awaitView("line1", v -> "draining".equals(v.state()), 20, TimeUnit.SECONDS);
        assertEquals(drained, List.of(1, 2), GatewayGroup.View.parse(drained).nodes());
        for (int node = 1; node <= 2; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:view line1", "state        \"draining\"").isPresent());
        }

        // A bad value: one ERROR line naming PID, key and reason, no trace; edgeha:info names it.
        int before = group.gateway(1).lineCount();
        Files.writeString(etc(1).resolve("org.edgeha.gs.mqtt.cfg"),
                ".domain.key=a-new-domain-secret\nmax.message.bytes=lots\n");
        String error = group.gateway(1).awaitLineAfter(before, l -> l.contains("ERROR"), 20, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("no ERROR line:\n" + group.outputs()));
        assertTrue(error, error.contains("org.edgeha.gs.mqtt") && error.contains("max.message.bytes: not a whole number"));
        Thread.sleep(3_000);
        String info = String.join("\n", GsConsole.run(group.gateway(1), "edgeha:info", 10, TimeUnit.SECONDS).orElseThrow());
        assertTrue(info, info.contains("configuration org.edgeha.gs.mqtt is wrong: max.message.bytes: not a whole number"));
        List<String> after = newLines(1, before);
        assertEquals("one ERROR line:\n" + String.join("\n", after), 1,
                after.stream().filter(l -> l.contains("ERROR")).count());
        assertTrue("no stack trace:\n" + String.join("\n", after), after.stream().noneMatch(l -> TRACE.matcher(l).find()));
        assertGroupKept(seq + 1, "draining", views);
    }

    @Test
    public void aGatewayStartedWithABadValueSaysSoOnceAndConnectsWhenItIsPutRight() throws Exception {
        GatewayProcess g = group.start(1, broker.uri(), "keepalive.s=ten\n");
        Thread.sleep(3_000);
        for (int i = 0; i < 2; i++) { // every mqtt:status used to print another trace
            String status = mqttStatus(1);
            assertTrue(status, status.contains("configuration org.edgeha.mqtt is wrong: keepalive.s: not a whole number;"
                    + " the connection does not start until it is put right"));
        }
        List<String> lines = newLines(1, 0);
        assertEquals("one ERROR line:\n" + String.join("\n", lines), 1,
                lines.stream().filter(l -> l.contains("ERROR")).count());
        assertTrue("no stack trace:\n" + String.join("\n", lines), lines.stream().noneMatch(l -> TRACE.matcher(l).find()));
        assertFalse(group.log(1).contains("MQTT default connected to"));

        writeMqttConfig(1, "keepalive.s=" + KEEPALIVE_S + "\n");
        awaitLogCount(1, "MQTT default connected to", 1);
        String status = mqttStatus(1);
        assertFalse(status, status.contains("is wrong"));
        assertTrue(group.outputs(), group.ask(1, "gs:join line1", "joining line1").isPresent());
        group.awaitView("line1", v -> v.nodes().equals(List.of(1)), 30, TimeUnit.SECONDS);
        assertNothingAlarming(1, lines.size());
        assertTrue(g.isAlive());
    }

    /** Both shell providers are members of line1 at seq {@code seq} with {@code state}, and never left it since. */
    private void assertGroupKept(long seq, String state, int viewsBefore) throws Exception {
        for (int node = 1; node <= 2; node++) {
            GsConsole.GsView view = GsConsole.view(group, node, "line1");
            assertTrue(view.raw().toString(), view.seq() >= seq);
            assertEquals(view.raw().toString(), "\"" + state + "\"", view.state());
            assertTrue(view.raw().toString(), view.members().contains("1/") && view.members().contains("2/"));
        }
        List<String> history = group.viewHistory("line1");
        for (String json : history.subList(viewsBefore, history.size())) {
            assertEquals("a provider left the group: " + json + "\n" + group.outputs(), List.of(1, 2),
                    GatewayGroup.View.parse(json).nodes());
        }
    }

    /** No ERROR and no stack trace on the console since line {@code from}. */
    private void assertNothingAlarming(int node, int from) {
        List<String> after = newLines(node, from);
        assertTrue("said at " + node + ":\n" + String.join("\n", after),
                after.stream().noneMatch(l -> l.contains("ERROR") || TRACE.matcher(l).find()));
    }

    private List<String> newLines(int node, int from) {
        List<String> all = Arrays.asList(group.gateway(node).output().split("\\R", -1));
        return all.subList(Math.min(from, all.size()), all.size());
    }

    private Path etc(int node) {
        return group.home(node).resolve("etc");
    }

    private void writeMqttConfig(int node, String lines) throws Exception {
        String kept = "will.delay.s=" + WILL_DELAY_S + "\n";
        Files.writeString(etc(node).resolve("org.edgeha.mqtt.cfg"), kept + lines);
    }

    private String mqttStatus(int node) throws Exception {
        return String.join("\n", GsConsole.run(group.gateway(node), "mqtt:status", 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("no answer to mqtt:status at " + node)));
    }

    private long incarnation(int node) throws Exception {
        String status = mqttStatus(node);
        Matcher m = INCARNATION.matcher(status);
        assertTrue(status, m.find());
        return Long.parseLong(m.group(1));
    }

    private void awaitLogCount(int node, String text, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (group.log(node).split(Pattern.quote(text), -1).length - 1 >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gateway " + node + " never logged " + count + " times " + text + ":\n" + group.log(node));
    }

    private void awaitLog(int node, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (group.log(node).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gateway " + node + " never logged " + text + ":\n" + group.log(node));
    }
}
