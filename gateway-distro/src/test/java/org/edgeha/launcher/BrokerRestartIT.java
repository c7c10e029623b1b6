package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeha.launcher.GsConsole.GsView;
import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tcp.FaultProxy;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Three gateways on one private Mosquitto (no persistence) while state changes are proposed on all of them and
 * store-and-forward messages published on one: the broker is killed (kill -9) and restarted several times. A broker
 * restarted without persistence has lost every retained status and session and published no will, so the gateways
 * keep their incarnations; afterwards the group must agree everywhere, with the public view published again, no
 * protocol applied twice, and every accepted store-and-forward message delivered at least once and in order.
 */
public class BrokerRestartIT {

    private static final int KEEPALIVE_S = 4;
    private static final int WILL_DELAY_S = 1;
    /** Broker kills and restarts: 3 in the quick mode, 50 in the long one ({@link FaultMode}). */
    private static final int RESTARTS = FaultMode.count(3, 50);
    private static final String GROUP = "line1";
    private static final String VIEW_TOPIC = "edgeha/default/group/line1/view";
    private static final String ORDER_TOPIC = "edgeha/default/test/order";
    private static final String ALL_MEMBERS = "[1/9999, 2/9999, 3/9999]";
    private static final Pattern APPROVED = Pattern.compile("^approved (\\S+) seq (\\d+) state (.*)$");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(FaultMode.LONG ? 900 : 90);

    private BrokerFixture broker;
    private FaultProxy gate;
    private GatewayGroup group;
    private TopicRecorder views;
    private TopicRecorder orders;
    private final ExecutorService faults = Executors.newSingleThreadExecutor(r -> new Thread(r, "broker-faults"));

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        // The gateways reach the broker through this proxy, which refuses them from just before each kill until the
        // plain subscribers below are subscribed again on the restarted broker: a broker without persistence drops
        // what is published before anyone subscribes, and that loss would be the test's, not the gateways'.
        gate = FaultProxy.start("127.0.0.1", broker.port());
        group = new GatewayGroup(tmp.getRoot().toPath(), KEEPALIVE_S, WILL_DELAY_S);
        views = TopicRecorder.start(broker.uri(), "edgeha/default/group/+/view");
        orders = TopicRecorder.start(broker.uri(), ORDER_TOPIC);
    }

    @After
    public void tearDown() throws Exception {
        faults.shutdownNow();
        try {
            group.close();
            views.close();
            orders.close();
        } finally {
            gate.close();
            broker.close();
        }
    }

    @Test
    public void changesAndStoredMessagesSurviveRepeatedBrokerKillsAndRestarts() throws Exception {
        long started = System.nanoTime();
        for (int node = 1; node <= 3; node++) {
            group.start(node, gate.uri());
        }
        for (int node = 1; node <= 3; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:join " + GROUP, "joining " + GROUP).isPresent());
        }
        assertTrue("3 members in the public view: " + views.latest(VIEW_TOPIC) + "\n" + group.outputs(),
                views.awaitLatest(VIEW_TOPIC, j -> GatewayGroup.View.parse(j).nodes().equals(List.of(1, 2, 3)), 30,
                        TimeUnit.SECONDS).isPresent());
        System.out.println("BrokerRestartIT: group formed after " + ms(started) + " ms");

        AtomicBoolean faultsDone = new AtomicBoolean();
        Future<?> faulting = faults.submit(() -> {
            injectFaults();
            faultsDone.set(true);
            return null;
        });

        // The proposer: vN on node 1, 2, 3 in turn, and mqtt:publish N on node 2 for every N; one command at a time.
        List<Integer> accepted = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        long stopAt = Long.MAX_VALUE;
        int n = 0;
        while (System.nanoTime() < stopAt) {
            n++;
            int node = (n - 1) % 3 + 1;
            List<String> said = answer(node, "gs:state " + GROUP + " v" + n);
            answers.merge(said.isEmpty() ? "(nothing)" : said.get(0).replaceAll("v\\d+", "vN"), 1, Integer::sum);
            List<String> published = answer(2, "mqtt:publish " + ORDER_TOPIC + " " + n);
            if (published.stream().anyMatch(l -> l.startsWith("accepted ("))) {
                accepted.add(n);
            } else {
                answers.merge("publish: " + published, 1, Integer::sum);
            }
            if (faultsDone.get() && stopAt == Long.MAX_VALUE) {
                stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // go on a little after the last restart
            }
            // About 7 rounds a second. Every console command once cost the gateway some 40 KB of heap for good (Gogo
            // kept each command's job); org.edgeha.console drops them now, so the long mode can keep this pace.
            Thread.sleep(100);
        }
        faulting.get(5, TimeUnit.SECONDS);
        int proposed = n;
        System.out.println("BrokerRestartIT (" + FaultMode.name() + "): " + RESTARTS + " broker kills, " + proposed
                + " proposals and publishes in " + ms(started) + " ms; "
                + accepted.size() + " publishes accepted; answers " + answers);

        // Quiet: every gateway shows the same seq, state and 3 members, nothing running, unchanged for 2 s.
        long quietFrom = System.nanoTime();
        Map<Integer, GsView> last = awaitQuietAgreement(30);
        GsView v = last.get(1);
        System.out.println("BrokerRestartIT: quiet and agreed " + ms(quietFrom) + " ms after the proposer stopped: "
                + v.agreed());
        assertEquals(ALL_MEMBERS, v.members());

        // The public view was published again on the restarted broker, and says the same.
        String expectedState = v.state().substring(1, v.state().length() - 1);
        assertTrue("public view agrees with " + v.agreed() + ": " + views.latest(VIEW_TOPIC).orElse("-"),
                views.awaitLatest(VIEW_TOPIC, j -> {
                    GatewayGroup.View p = GatewayGroup.View.parse(j);
                    return p.seq() == v.seq() && p.nodes().equals(List.of(1, 2, 3)) && expectedState.equals(p.state());
                }, 10, TimeUnit.SECONDS).isPresent());

        // No protocol applied twice: within a gateway's recent events each seq is approved once, one seq means one
        // protocol on every gateway, and no proposed value (each vN was proposed once) was approved under two seqs.
        Map<Long, String> bySeq = new HashMap<>();
        Map<String, Long> byValue = new HashMap<>();
        for (GsView at : last.values()) {
            Set<Long> seen = new TreeSet<>();
            for (String e : at.events()) {
                Matcher m = APPROVED.matcher(e);
                if (!m.matches()) {
                    continue;
                }
                long seq = Long.parseLong(m.group(2));
                String what = m.group(1) + " " + m.group(3);
                assertTrue("gateway " + at.node() + " applied seq " + seq + " twice: " + at.events(), seen.add(seq));
                String other = bySeq.putIfAbsent(seq, what);
                assertTrue("seq " + seq + " is " + what + " on gateway " + at.node() + " but " + other + " elsewhere",
                        other == null || other.equals(what));
                if (m.group(1).equals("STATE_CHANGE")) {
                    Long otherSeq = byValue.putIfAbsent(m.group(3), seq);
                    assertTrue(m.group(3) + " approved as seq " + seq + " and as seq " + otherSeq,
                            otherSeq == null || otherSeq == seq);
                }
            }
        }
        for (int node = 1; node <= 3; node++) {
            String log = group.log(node);
            for (String bad : List.of("internal error", "diverg", "out of step", "ahead of the coordinator")) {
                assertEquals("gateway " + node + " logged '" + bad + "':\n" + log, -1, log.toLowerCase().indexOf(bad));
            }
        }

        // Every accepted publish reached the plain subscriber, at least once, in the order published.
        assertTrue("orders still arriving", orders.awaitSubscribed(10, TimeUnit.SECONDS));
        List<Integer> received = awaitAllReceived(accepted, 15);
        List<Integer> firsts = new ArrayList<>(new LinkedHashSet<>(received));
        List<Integer> acceptedInFirsts = firsts.stream().filter(accepted::contains).toList();
        assertEquals("accepted publishes, in the order of their first arrival: " + received, accepted, acceptedInFirsts);
        assertTrue("nothing arrived that was never published: " + received, firsts.stream().allMatch(x -> x <= proposed));
        System.out.println("BrokerRestartIT: subscriber received " + received.size() + " messages, "
                + (received.size() - firsts.size()) + " duplicates, " + (firsts.size() - accepted.size())
                + " not confirmed accepted; " + backSteps(received) + " steps back (redeliveries); subscribed "
                + orders.subscribes() + " times; whole test " + ms(started) + " ms");
    }

    /** Kills and restarts the broker {@link #RESTARTS} times, 1 to 2 s up and 1 to 2 s down (in turn). */
    private void injectFaults() throws Exception {
        for (int i = 0; i < RESTARTS; i++) {
            Thread.sleep(1_000 + 400L * (i % 3));
            gate.refuseNew(true);
            broker.kill();
            long killedAt = System.nanoTime();
            Thread.sleep(1_800 - 400L * (i % 3));
            broker.restart();
            if (!views.awaitSubscribed(10, TimeUnit.SECONDS) || !orders.awaitSubscribed(10, TimeUnit.SECONDS)) {
                throw new AssertionError("plain subscribers not back after restart " + (i + 1));
            }
            gate.refuseNew(false);
            System.out.println("BrokerRestartIT: broker killed and restarted (" + (i + 1) + "), down " + ms(killedAt)
                    + " ms");
        }
    }

    /** The output of a console command; fails when the console does not answer in 10 s. */
    private List<String> answer(int node, String command) throws Exception {
        return GsConsole.run(group.gateway(node), command, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway " + node + " did not answer " + command + "\n"
                        + group.outputs()));
    }

    private Map<Integer, GsView> awaitQuietAgreement(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<Integer, GsView> last = Map.of();
        String stable = null;
        long stableSince = 0;
        while (System.nanoTime() < deadline) {
            last = new TreeMap<>();
            for (int node = 1; node <= 3; node++) {
                last.put(node, GsConsole.view(group, node, GROUP));
            }
            List<String> agreed = last.values().stream().map(v -> v.agreed() + ", running " + v.running()).distinct()
                    .toList();
            if (agreed.size() == 1 && last.get(1).seq() > 0 && "-".equals(last.get(1).running())) {
                if (!agreed.get(0).equals(stable)) {
                    stable = agreed.get(0);
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                    return last;
                }
            } else {
                stable = null;
            }
            Thread.sleep(200);
        }
        StringBuilder b = new StringBuilder("no quiet agreement within " + seconds + " s:");
        last.values().forEach(v -> b.append("\n  gateway ").append(v.node()).append(": ").append(v.agreed())
                .append(", running ").append(v.running()).append(", coordinator ").append(v.coordinator()));
        for (int node = 1; node <= 3; node++) {
            b.append("\n---- log of gateway ").append(node).append(" ----\n").append(group.log(node));
        }
        throw new AssertionError(b + "\n" + group.outputs());
    }

    /** Waits until every accepted N was received; returns everything received on the order topic, as numbers. */
    private List<Integer> awaitAllReceived(List<Integer> accepted, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Integer> received = orders.received().stream().map(r -> Integer.parseInt(r.payload().strip())).toList();
            Set<Integer> missing = new TreeSet<>(accepted);
            missing.removeAll(received);
            if (missing.isEmpty()) {
                return received;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("accepted publishes never received: " + missing + "; received " + received
                        + "\n" + group.gateway(2).output());
            }
            Thread.sleep(100);
        }
    }

    private static int backSteps(List<Integer> received) {
        int steps = 0;
        for (int i = 1; i < received.size(); i++) {
            if (received.get(i) < received.get(i - 1)) {
                steps++;
            }
        }
        return steps;
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
