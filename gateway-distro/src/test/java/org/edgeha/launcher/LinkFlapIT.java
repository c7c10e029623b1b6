package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tcp.FaultProxy;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * SPEC 3.3, "a gateway whose link comes back within the will delay is not declared dead", between real gateways:
 * gateway 3 reaches the broker through a {@link FaultProxy}, gateways 1 and 2 directly. A drop shorter than the will
 * delay leaves the group as it was; a longer one removes node 3, which comes back as a new incarnation and joins again.
 */
public class LinkFlapIT {

    private static final int KEEPALIVE_S = 4;
    private static final int WILL_DELAY_S = 5;
    /** A node status as docs/mqtt-api.md has it (schema, ts, node, incarnation, state). */
    private static final Pattern STATUS = Pattern.compile(
            "\\{\"schema\":\"edgeha\\.node-status/1\",\"ts\":\\d+,\"node\":(\\d+),\"incarnation\":(\\d+),\"state\":\"(\\w+)\"}");

    @Rule
    public Timeout timeout = new Timeout(180, TimeUnit.SECONDS);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private FaultProxy proxy;
    private GatewayGroup group;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        proxy = FaultProxy.start("127.0.0.1", broker.port());
        group = new GatewayGroup(tmp.getRoot().toPath(), KEEPALIVE_S, WILL_DELAY_S).watch(broker.uri());
        group.start(1, broker.uri());
        group.start(2, broker.uri());
        group.start(3, proxy.uri());
        for (int node = 1; node <= 3; node++) {
            expect(node, "gs:join line1", "joining line1");
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        expect(1, "gs:state line1 before --phases 2", "proposed before");
        group.awaitView("line1", v -> "before".equals(v.state()), 20, TimeUnit.SECONDS);
    }

    @After
    public void tearDown() throws Exception {
        group.close();
        proxy.close();
        broker.close();
    }

    @Test
    public void aDropShorterThanTheWillDelayIsNoFailure() throws Exception {
        long incarnation = retainedStatus(3).incarnation();
        int historyBefore = group.viewHistory("line1").size();
        ViewWatch watch = ViewWatch.start(group);

        long droppedAt = System.nanoTime();
        proxy.refuseNew(true);
        proxy.resetAll();
        Thread.sleep(1_000);
        proxy.refuseNew(false);
        long reconnectedMillis = awaitReconnect(3, 2, droppedAt);
        System.out.println("LinkFlapIT: node 3 reconnected " + reconnectedMillis + " ms after its link was cut (will delay "
                + WILL_DELAY_S + " s)");
        assertTrue("reconnected after " + reconnectedMillis + " ms, will delay " + WILL_DELAY_S + " s",
                reconnectedMillis < WILL_DELAY_S * 1000L);
        // Watch past the moment the will would have come out, with margin for the failure-leave.
        long watchUntil = droppedAt + TimeUnit.SECONDS.toNanos(WILL_DELAY_S + 4);
        while (System.nanoTime() < watchUntil) {
            Thread.sleep(50);
        }
        watch.stop();
        assertEquals("a public view without node 3 appeared: " + watch.missing() + "\n" + group.outputs(), null,
                watch.missing());
        for (String json : group.viewHistory("line1").subList(historyBefore, group.viewHistory("line1").size())) {
            assertEquals("a public view without node 3 was published: " + json, List.of(1, 2, 3),
                    GatewayGroup.View.parse(json).nodes());
        }
        Status after = retainedStatus(3);
        assertEquals("node 3 kept its incarnation", incarnation, after.incarnation());
        assertEquals("online", after.state());
        expect(1, "gs:view line1", "members      [1/9999, 2/9999, 3/9999]");

        expect(3, "gs:state line1 flapped", "proposed flapped");
        String approved = group.awaitView("line1", v -> "flapped".equals(v.state()), 20, TimeUnit.SECONDS);
        GatewayGroup.View view = GatewayGroup.View.parse(approved);
        assertEquals(List.of(1, 2, 3), view.nodes());
        for (int node = 1; node <= 3; node++) {
            expect(node, "gs:view line1", "seq          " + view.seq());
            expect(node, "gs:view line1", "state        \"flapped\"");
        }
    }

    @Test
    public void aDropLongerThanTheWillDelayIsAFailureAndNode3ComesBackAsANewIncarnation() throws Exception {
        long incarnation = retainedStatus(3).incarnation();

        long droppedAt = System.nanoTime();
        proxy.refuseNew(true);
        proxy.resetAll();
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2)), WILL_DELAY_S + 3L * KEEPALIVE_S, TimeUnit.SECONDS);
        long removedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - droppedAt);
        System.out.println("LinkFlapIT: node 3 removed " + removedMillis + " ms after its link was cut (will delay "
                + WILL_DELAY_S + " s)");
        assertTrue("removed after " + removedMillis + " ms, before the will delay of " + WILL_DELAY_S + " s",
                removedMillis >= WILL_DELAY_S * 1000L - 250);
        assertEquals("offline", retainedStatus(3).state());
        // The group goes on without node 3 meanwhile.
        expect(2, "gs:state line1 without-3", "proposed without-3");
        String without = group.awaitView("line1", v -> "without-3".equals(v.state()), 20, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2), GatewayGroup.View.parse(without).nodes());

        proxy.refuseNew(false);
        Status back = awaitRetainedStatus(3, s -> s.state().equals("online") && s.incarnation() != incarnation, 30);
        assertTrue("new incarnation " + back.incarnation() + " after " + incarnation, back.incarnation() > incarnation);
        boolean told = group.gateway(3).awaitLine(l -> l.contains("declared failed by its peers"), 20, TimeUnit.SECONDS)
                .isPresent();
        assertTrue("node 3 did not say it was declared failed\n" + group.outputs(), told);
        // The shell's provider on node 3 is no member any more; nodes 1 and 2 did not take it back.
        expect(3, "gs:view line1", "does not know group line1");
        assertEquals(List.of(1, 2), GatewayGroup.View.parse(group.view("line1").orElseThrow()).nodes());

        expect(3, "gs:join line1", "joining line1");
        String rejoined = group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        GatewayGroup.View view = GatewayGroup.View.parse(rejoined);
        assertEquals("the rejoined node has the group's current state", "without-3", view.state());
        for (int node = 1; node <= 3; node++) {
            expect(node, "gs:view line1", "seq          " + view.seq());
            expect(node, "gs:view line1", "state        \"without-3\"");
            expect(node, "gs:view line1", "members      [1/9999, 2/9999, 3/9999]");
        }
    }


    /** Types {@code command} at gateway {@code node} until a line with {@code expected} appears; fails otherwise. */
    private void expect(int node, String command, String expected) throws Exception {
        if (group.ask(node, command, expected).isEmpty()) {
            throw new AssertionError("gateway " + node + ": '" + command + "' never printed '" + expected + "'\n"
                    + group.outputs());
        }
    }
    /** Waits until {@code mqtt:status} of {@code node} says connected with {@code connects} connects; returns ms since. */
    private long awaitReconnect(int node, int connects, long since) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            GatewayProcess g = group.gateway(node);
            int before = g.lineCount();
            g.command("mqtt:status");
            if (g.awaitLineAfter(before, l -> l.contains("connects " + connects + ","), 200, TimeUnit.MILLISECONDS)
                    .isPresent()
                    && g.awaitLineAfter(before, l -> l.contains("default: CONNECTED"), 200, TimeUnit.MILLISECONDS)
                            .isPresent()) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
        }
        throw new AssertionError("node " + node + " did not reconnect\n" + group.outputs());
    }

    record Status(int node, long incarnation, String state) {
    }

    /** The retained status of {@code node}, as a new subscriber gets it. */
    private Status retainedStatus(int node) throws Exception {
        return awaitRetainedStatus(node, s -> true, 10);
    }

    private Status awaitRetainedStatus(int node, java.util.function.Predicate<Status> match, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Status last = null;
        while (System.nanoTime() < deadline) {
            MqttClient c = new MqttClient(broker.uri(), "status-reader-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            c.connect(options);
            try {
                AtomicReference<String> retained = new AtomicReference<>();
                CountDownLatch got = new CountDownLatch(1);
                IMqttMessageListener listener = (t, m) -> {
                    if (m.isRetained()) {
                        retained.set(new String(m.getPayload(), StandardCharsets.UTF_8));
                        got.countDown();
                    }
                };
                c.subscribe(new MqttSubscription[] {new MqttSubscription("edgeha/default/node/" + node + "/status", 1)},
                        new IMqttMessageListener[] {listener});
                if (got.await(2, TimeUnit.SECONDS)) {
                    Matcher m = STATUS.matcher(retained.get());
                    assertTrue(retained.get(), m.matches());
                    last = new Status(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
                    if (match.test(last)) {
                        return last;
                    }
                }
            } finally {
                c.disconnect();
                c.close();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("retained status of node " + node + " never matched; last " + last + "\n"
                + group.outputs());
    }

    /** Samples the public view of line1 every 10 ms and keeps the first one without node 3. */
    private static final class ViewWatch {
        private final Thread thread;
        private final List<String> missing = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;

        private ViewWatch(GatewayGroup group) {
            thread = new Thread(() -> {
                while (!stopped) {
                    group.view("line1").filter(json -> !GatewayGroup.View.parse(json).nodes().contains(3))
                            .ifPresent(json -> {
                                if (missing.isEmpty()) {
                                    missing.add(json);
                                }
                            });
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "view-watch");
            thread.setDaemon(true);
        }

        static ViewWatch start(GatewayGroup group) {
            ViewWatch w = new ViewWatch(group);
            assertNotNull(group.view("line1").orElse(null));
            w.thread.start();
            return w;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(1_000);
        }

        String missing() {
            return missing.isEmpty() ? null : missing.get(0);
        }
    }
}
