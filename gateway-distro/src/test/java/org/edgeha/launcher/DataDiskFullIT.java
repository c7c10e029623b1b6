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
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Issue 8, "the disk full for {@code data/}": gateway 3's whole {@code data/} folder (framework cache, log, store,
 * incarnation, kept bundles) is a small tmpfs (skipped, saying why, where one cannot be mounted), filled to the last
 * byte while three real gateways work. Group Services needs no disk, so gateway 3 stays in its group and proposes;
 * what it cannot keep (a publish) is refused with the reason; it survives a power cut and starts again on the full
 * disk, round after round (its start reserve, {@link StartReserve}, gives the framework cache room to be rebuilt,
 * and is made again once there is room); every accepted publish arrives once, in order. (What the log file does on a
 * full disk is {@code RotatingLogTest}'s.)
 */
public class DataDiskFullIT {

    private static final String TOPIC = "edgeha/default/test/disk/";
    /** A payload without the {@code -xxx…} padding some publishes carry. */
    private static final UnaryOperator<String> UNPADDED = p -> p.replaceAll("-x+$", "");
    private static final int ROUNDS = FaultMode.count(2, 5);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(FaultMode.LONG ? 600 : 240);

    private BrokerFixture broker;
    private GatewayGroup group;
    private TopicRecorder received;
    private SmallDisk disk;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1).watch(broker.uri());
        received = TopicRecorder.start(broker.uri(), TOPIC + "#");
        assertTrue(received.awaitSubscribed(10, TimeUnit.SECONDS));
    }

    @After
    public void tearDown() throws Exception {
        try {
            group.close(); // first: nothing may hold files on the tmpfs when it is unmounted
            received.close();
            broker.close();
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    public void aFullDataFolderKeepsTheGatewayInItsGroupRefusesWhatItCannotKeepAndRecovers() throws Exception {
        Path data = group.home(3).resolve("data");
        disk = SmallDisk.mountOrSkip(data, "64m");
        for (int node = 1; node <= 3; node++) {
            group.start(node, broker.uri());
            expect(node, "gs:join line1", "joining line1");
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        Path filler = data.resolve("filler");
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 1; i <= 3; i++) {
                publish(accepted, round + "-before-" + i);
            }
            awaitReserve(3, 20);
            long filled = disk.fill(filler);
            String state = "full-" + round;

            // Group Services keeps nothing on disk: the full gateway proposes and every member applies it.
            expect(3, "gs:state line1 " + state, "proposed " + state);
            group.awaitView("line1", v -> state.equals(v.state()), 20, TimeUnit.SECONDS);
            for (int node = 1; node <= 3; node++) {
                expect(node, "gs:view line1", "state        \"" + state + "\"");
            }

            // What it cannot keep is refused, saying why (a few may still fit into the store segment's last page).
            String refusal = null;
            for (int i = 1; i <= 200 && refusal == null; i++) {
                List<String> out = answer(3, "mqtt:publish " + TOPIC + "m " + round + "-full-" + i + "-" + "x".repeat(500));
                if (out.stream().anyMatch(l -> l.startsWith("accepted ("))) {
                    accepted.add(round + "-full-" + i);
                } else {
                    refusal = out.toString();
                }
            }
            assertTrue("a publish was refused on the full disk", refusal != null);
            assertTrue("refused with the reason: " + refusal, refusal.contains("No space left on device"));
            refused++;

            // A power cut on the full disk, and a start on it: the gateway comes up and rejoins.
            group.kill(3);
            group.start(3, broker.uri());
            expect(3, "gs:join line1", "joining line1");
            group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
            expect(3, "gs:view line1", "state        \"" + state + "\"");
            String status = String.join("\n", answer(3, "mqtt:status"));
            assertTrue(status, status.contains("default: CONNECTED"));
            // The start had the reserve's room, and the operator sees why on the console.
            String told = group.gateway(3).output().lines().filter(l -> l.startsWith("edgeha: data/ has only"))
                    .findFirst().orElseThrow(() -> new AssertionError("no word of the full disk at the start:\n"
                            + group.gateway(3).output()));
            assertTrue(told, told.contains("released the " + StartReserve.BYTES + "-byte start reserve"));
            assertTrue("the framework cache was rebuilt whole:\n" + group.gateway(3).output(),
                    !group.gateway(3).output().contains("Error writing persistent state"));

            Files.delete(filler);
            awaitReserve(3, 20); // made again once there is room, for the next start on a full disk
            publish(accepted, round + "-after-1");
            publish(accepted, round + "-after-2");
            System.out.println("DataDiskFullIT (" + FaultMode.name() + "): data/ full after " + filled
                    + " bytes of filler; refused: " + refusal.strip() + "; console at the start on the full disk: "
                    + told);
        }
        List<String> delivered = received.awaitFirstArrivals((TOPIC + "m")::equals, UNPADDED, accepted, 30);
        assertEquals("every accepted message once, in order, none of the refused", accepted, delivered);

        // A last clean start: nothing was left behind that it must discard.
        group.gateway(3).close();
        int before = group.log(3).length();
        group.start(3, broker.uri());
        awaitLog(3, "Gateway ready in", 10);
        String lastStart = group.log(3).substring(before);
        assertTrue("a clean start after the full disk:\n" + lastStart, !lastStart.contains("discarded")
                && !lastStart.contains("No space left"));
        System.out.println("DataDiskFullIT (" + FaultMode.name() + "): data/ full " + ROUNDS + " time(s): "
                + accepted.size() + " publishes accepted and delivered in order, " + refused
                + " refused with 'No space left on device', " + ROUNDS + " power cut(s) and start(s) on the full disk,"
                + " group state changed " + ROUNDS + " time(s) from the full gateway; lost 0");
    }

    private void awaitReserve(int node, int seconds) throws Exception {
        Path reserve = group.home(node).resolve("data").resolve(StartReserve.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(reserve)) {
            assertTrue("gateway " + node + " made no start reserve in " + seconds + " s", System.nanoTime() < deadline);
            Thread.sleep(200);
        }
    }

    private void publish(List<String> accepted, String m) throws Exception {
        List<String> out = answer(3, "mqtt:publish " + TOPIC + "m " + m);
        assertTrue("accepted: " + out, out.stream().anyMatch(l -> l.startsWith("accepted (")));
        accepted.add(m);
    }
    /** Waits for a line of gateway {@code node}'s log file containing {@code expected}; @return the last such line */
    private String awaitLog(int node, String expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            List<String> lines = group.log(node).lines().filter(l -> l.contains(expected)).toList();
            if (!lines.isEmpty()) {
                return lines.get(lines.size() - 1);
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gateway " + node + " never logged '" + expected + "':\n" + group.log(node));
    }

    private void expect(int node, String command, String expected) throws Exception {
        if (group.ask(node, command, expected).isEmpty()) {
            throw new AssertionError("gateway " + node + ": '" + command + "' never printed '" + expected + "'\n"
                    + group.outputs());
        }
    }

    private List<String> answer(int node, String command) throws Exception {
        return GsConsole.run(group.gateway(node), command, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway " + node + " did not answer " + command + "\n"
                        + group.outputs()));
    }
}
