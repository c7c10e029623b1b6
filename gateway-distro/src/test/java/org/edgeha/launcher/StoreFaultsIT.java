package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tcp.FaultProxy;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * SPEC 3.2, "the overflow policy is explicit and counted; nothing accepted is lost silently", with real gateways
 * whose broker is out of reach (a {@link FaultProxy} refusing them) while they publish: a store full under
 * REJECT_NEW and under DROP_OLDEST, and a full disk under {@code data/mqtt} (a 1 MiB tmpfs mounted there; the test
 * is skipped, saying why, where it cannot mount one). Afterwards the proxy lets them through and a plain subscriber
 * must receive exactly what was accepted and not dropped-and-counted, in order.
 */
public class StoreFaultsIT {

    private static final String TOPIC = "edgeha/default/test/store/";
    /** A payload without the {@code -xxx…} padding some publishes carry. */
    private static final UnaryOperator<String> UNPADDED = p -> p.replaceAll("-x+$", "");
    private static final int ROUNDS = FaultMode.count(1, 5);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(FaultMode.LONG ? 900 : 150);

    private BrokerFixture broker;
    private FaultProxy proxy;
    private GatewayGroup group;
    private TopicRecorder received;
    private SmallDisk disk;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        proxy = FaultProxy.start("127.0.0.1", broker.port());
        proxy.refuseNew(true);
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1);
        received = TopicRecorder.start(broker.uri(), TOPIC + "#");
        assertTrue(received.awaitSubscribed(10, TimeUnit.SECONDS));
    }

    @After
    public void tearDown() throws Exception {
        try {
            group.close(); // first: nothing may hold files on the tmpfs when it is unmounted
            received.close();
            proxy.close();
            broker.close();
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    public void aFullStoreRefusesOrDropsTheOldestAndCountsEveryMessageItDidNotForward() throws Exception {
        group.mqttConfig(1, "store.max.messages=20\nstore.overflow=REJECT_NEW\n");
        group.mqttConfig(2, "store.max.messages=10\nstore.overflow=DROP_OLDEST\n");
        group.start(1, proxy.uri());
        group.start(2, proxy.uri());
        List<String> acceptedReject = new ArrayList<>();
        List<String> acceptedDrop = new ArrayList<>();
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            proxy.refuseNew(true);
            proxy.resetAll();
            awaitNotConnected(1);
            awaitNotConnected(2);
            for (int i = 1; i <= 25; i++) {
                String m = round + "-" + i;
                List<String> out = answer(1, "mqtt:publish " + TOPIC + "reject " + m);
                if (out.stream().anyMatch(l -> l.startsWith("accepted ("))) {
                    acceptedReject.add(m);
                } else {
                    refused++;
                    assertTrue("refused with the reason: " + out, out.toString().contains("is full (20 messages")
                            && out.toString().contains("policy REJECT_NEW"));
                }
                out = answer(2, "mqtt:publish " + TOPIC + "drop " + m);
                assertTrue("DROP_OLDEST takes every message: " + out, out.stream().anyMatch(l -> l.startsWith("accepted (")));
                acceptedDrop.add(m);
            }
            assertEquals("round " + round + ": 20 accepted, 5 refused", 20 * (round + 1), acceptedReject.size());
            String status1 = awaitStatus(1, "store: 20 message(s)", 10);
            assertTrue(status1, status1.contains("rejected " + 5 * (round + 1) + ","));
            String status2 = awaitStatus(2, "store: 10 message(s)", 10);
            assertTrue(status2, status2.contains("dropped oldest " + 15 * (round + 1) + ","));

            proxy.refuseNew(false);
            awaitStatus(1, "store: 0 message(s)", 30);
            awaitStatus(2, "store: 0 message(s)", 30);
        }
        List<String> kept = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 16; i <= 25; i++) {
                kept.add(round + "-" + i); // the newest 10 of each round; the 15 before were dropped and counted
            }
        }
        assertEquals(acceptedReject,
                received.awaitFirstArrivals((TOPIC + "reject")::equals, UNPADDED, acceptedReject, 30));
        assertEquals(kept, received.awaitFirstArrivals((TOPIC + "drop")::equals, UNPADDED, kept, 30));
        String status1 = awaitStatus(1, "forwarded " + 20 * ROUNDS + ",", 10);
        String status2 = awaitStatus(2, "forwarded " + 10 * ROUNDS + ",", 10);
        System.out.println("StoreFaultsIT (" + FaultMode.name() + "): full store, " + ROUNDS + " round(s): REJECT_NEW "
                + acceptedReject.size() + " accepted and delivered, " + refused + " refused and counted; DROP_OLDEST "
                + acceptedDrop.size() + " accepted, " + kept.size() + " delivered, "
                + (acceptedDrop.size() - kept.size()) + " dropped and counted; lost 0\n  " + status1.strip() + "\n  "
                + status2.strip());
    }

    @Test
    public void aFullDiskIsReportedRefusesPublishesAndRecoversWhenSpaceReturns() throws Exception {
        Path mqtt = group.home(3).resolve("data").resolve("mqtt");
        disk = SmallDisk.mountOrSkip(mqtt, "1m");
        group.start(3, proxy.uri());
        Path filler = mqtt.resolve("filler");
        List<String> accepted = new ArrayList<>();
        int refusals = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 1; i <= 5; i++) {
                publish(accepted, round + "-before-" + i, true);
            }
            long filled = disk.fill(filler);
            // A few may still fit into the last page of the segment; then the disk is full for the store too.
            String refusal = null;
            for (int i = 1; i <= 200 && refusal == null; i++) {
                String m = round + "-full-" + i;
                List<String> out = answer(3, "mqtt:publish " + TOPIC + "disk " + m + "-" + "x".repeat(500));
                if (out.stream().anyMatch(l -> l.startsWith("accepted ("))) {
                    accepted.add(m);
                } else {
                    refusal = out.toString();
                }
            }
            assertTrue("a publish was refused on a full disk", refusal != null);
            refusals++;
            assertTrue("refused with the reason: " + refusal, refusal.contains("cannot be written")
                    && refusal.contains("No space left on device"));
            for (int i = 1; i <= 3; i++) {
                // as large as the refused one: a smaller one may still fit into the last page
                List<String> out = answer(3, "mqtt:publish " + TOPIC + "disk " + round + "-refused-" + i + "-"
                        + "x".repeat(500));
                assertTrue("still refused: " + out, out.toString().contains("No space left on device"));
                refusals++;
            }
            String status = awaitStatus(3, "last error: store cannot be written: No space left on device", 10);
            String log = awaitLog(3, "cannot be written (java.io.IOException: No space left on device)", round + 1, 10);
            assertTrue(group.gateway(3).isAlive());

            Files.delete(filler);
            publish(accepted, round + "-after-1", true);
            publish(accepted, round + "-after-2", true);
            awaitLog(3, "can be written again", round + 1, 10);
            String after = answer(3, "mqtt:status").toString();
            assertTrue("the failure is no longer shown: " + after, !after.contains("store cannot be written"));
            System.out.println("StoreFaultsIT (" + FaultMode.name() + "): disk full after " + filled
                    + " bytes of filler: " + status.lines().filter(l -> l.contains("last error")).findFirst().orElse("")
                    .strip() + "; log: " + log.strip());
        }
        proxy.refuseNew(false);
        List<String> delivered = received.awaitFirstArrivals((TOPIC + "disk")::equals, UNPADDED, accepted, 30);
        assertEquals("every accepted message, in order, and none of the refused", accepted, delivered);
        System.out.println("StoreFaultsIT (" + FaultMode.name() + "): disk full " + ROUNDS + " time(s): "
                + accepted.size() + " publishes accepted and delivered, " + refusals
                + " refused with 'No space left on device'; lost 0");
    }

    private void publish(List<String> accepted, String m, boolean mustAccept) throws Exception {
        List<String> out = answer(3, "mqtt:publish " + TOPIC + "disk " + m);
        boolean ok = out.stream().anyMatch(l -> l.startsWith("accepted ("));
        assertTrue("accepted: " + out, ok || !mustAccept);
        if (ok) {
            accepted.add(m);
        }
    }
    private String awaitStatus(int node, String expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String status;
        do {
            status = String.join("\n", answer(node, "mqtt:status"));
            if (status.contains(expected)) {
                return status;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("mqtt:status of gateway " + node + " never showed '" + expected + "':\n" + status);
    }

    private void awaitNotConnected(int node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (answer(node, "mqtt:status").stream().anyMatch(l -> l.startsWith("default: CONNECTED"))) {
            assertTrue("gateway " + node + " still connected", System.nanoTime() < deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until {@code expected} is in {@code count} lines of the log, no more; @return the last such line */
    private String awaitLog(int node, String expected, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> lines;
        do {
            lines = group.log(node).lines().filter(l -> l.contains(expected)).toList();
            if (lines.size() >= count) {
                assertEquals("logged once per episode: " + lines, count, lines.size());
                return lines.get(lines.size() - 1);
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gateway " + node + " logged '" + expected + "' " + lines.size() + " times, not "
                + count + ":\n" + group.log(node));
    }

    private List<String> answer(int node, String command) throws Exception {
        return GsConsole.run(group.gateway(node), command, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway " + node + " did not answer " + command + "\n"
                        + group.outputs()));
    }
}
