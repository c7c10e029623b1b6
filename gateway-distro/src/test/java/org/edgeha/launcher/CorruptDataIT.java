package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tcp.FaultProxy;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A gateway killed with SIGKILL while messages wait in its store, whose {@code data/} files are then damaged: a byte
 * of a stored message flipped, a second acknowledged-position file, garbage in the incarnation file, feature records
 * that are not JSON, not UTF-8 or lack their {@code .origin}. Started again, it must come up, say in its log what it
 * had to discard and from which file, count the lost messages in {@code mqtt:status}, deliver everything before the
 * damage in order, and start clean the time after.
 */
public class CorruptDataIT {

    private static final String TOPIC = "edgeha/default/test/corrupt";
    private static final int STORED = 30;
    private static final int DAMAGED = 11; // the first message cut off: 11 to 30 are lost
    private static final int ROUNDS = FaultMode.count(1, 5);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(FaultMode.LONG ? 900 : 120);

    private BrokerFixture broker;
    private FaultProxy proxy;
    private GatewayGroup group;
    private TopicRecorder received;

    @Before
    public void setUp() throws Exception {
        broker = BrokerFixture.start();
        proxy = FaultProxy.start("127.0.0.1", broker.port());
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1);
        received = TopicRecorder.start(broker.uri(), TOPIC);
        assertTrue(received.awaitSubscribed(10, TimeUnit.SECONDS));
    }

    @After
    public void tearDown() throws Exception {
        group.close();
        received.close();
        proxy.close();
        broker.close();
    }

    @Test
    public void aGatewayRestartedOnDamagedDataStartsAndSaysWhatItDiscarded() throws Exception {
        List<String> expected = new ArrayList<>();
        Path data = group.home(1).resolve("data");
        for (int round = 0; round < ROUNDS; round++) {
            proxy.refuseNew(true);
            proxy.resetAll();
            group.start(1, proxy.uri());
            for (int i = 1; i <= STORED; i++) {
                String m = round + "-" + i;
                List<String> out = answer("mqtt:publish " + TOPIC + " " + m);
                assertTrue(out.toString(), out.stream().anyMatch(l -> l.startsWith("accepted (")));
                if (i < DAMAGED) {
                    expected.add(m);
                }
            }
            group.kill(1);

            Path store = data.resolve("mqtt").resolve("default");
            Path segment = lastSegment(store);
            long acked;
            try (var files = Files.list(store)) {
                acked = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("acked."))
                        .mapToLong(n -> Long.parseLong(n.substring(6))).findFirst().orElseThrow();
            }
            flipAByteOfRecord(segment, acked + DAMAGED);
            Files.createFile(store.resolve(String.format("acked.%020d", acked + 5))); // a second position
            Files.writeString(data.resolve("mqtt").resolve("default.incarnation"), "\u0000garbage-" + round);
            Path features = data.resolve("features");
            Files.createDirectories(features);
            Files.writeString(features.resolve("org.edgeha~broken.json"), "{ this is not JSON");
            Files.writeString(features.resolve("org.edgeha~broken.origin"), "1\nfile:/nowhere\n");
            Files.write(features.resolve("org.edgeha~binary.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            Files.writeString(features.resolve("org.edgeha~binary.origin"), "2\nfile:/nowhere\n");
            Files.writeString(features.resolve("org.edgeha~cut.json"), "{}");

            int logFrom = group.log(1).length();
            long restarting = System.nanoTime();
            group.start(1, proxy.uri());
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting);
            List<String> said = new ArrayList<>();
            said.add(awaitLog(logFrom, segment.getFileName() + ": checksum mismatch at byte "));
            assertTrue(said.get(0), said.get(0).contains(", " + (STORED - DAMAGED + 1) + " unacknowledged message(s) lost"));
            said.add(awaitLog(logFrom, "several acknowledged positions [" + acked + ", " + (acked + 5) + "]; keeping the lowest"));
            said.add(awaitLog(logFrom, "default.incarnation unreadable"));
            said.add(awaitLog(logFrom, "org.edgeha~binary.json cannot be read"));
            said.add(awaitLog(logFrom, "org.edgeha~cut.json has no org.edgeha~cut.origin"));
            said.add(awaitLog(logFrom, "Feature recorded as org.edgeha~broken was installed before the restart but cannot be"));
            String status = String.join("\n", answer("mqtt:status"));
            assertTrue(status, status.contains("store: " + (DAMAGED - 1) + " message(s)"));
            assertTrue(status, status.contains("discarded at start " + (STORED - DAMAGED + 1)));

            proxy.refuseNew(false);
            assertEquals("what was stored before the damage, in order", expected,
                    received.awaitFirstArrivals(t -> true, String::strip, expected, 30));
            String after = round + "-after";
            assertTrue(answer("mqtt:publish " + TOPIC + " " + after).toString().contains("accepted ("));
            expected.add(after);
            assertEquals(expected, received.awaitFirstArrivals(t -> true, String::strip, expected, 30));

            // Repaired for good: the next start finds nothing wrong.
            awaitStatus("store: 0 message(s)");
            group.kill(1);
            int cleanFrom = group.log(1).length();
            group.start(1, proxy.uri());
            String clean = awaitStatus("discarded at start 0");
            awaitStatus("store: 0 message(s)");
            String log = group.log(1).substring(cleanFrom);
            for (String bad : List.of("at start:", "unreadable", "record damaged", "cannot be installed again")) {
                assertTrue("no '" + bad + "' at the clean start:\n" + log, !log.contains(bad));
            }
            group.kill(1);
            System.out.println("CorruptDataIT (" + FaultMode.name() + "): round " + (round + 1) + ": ready " + readyMillis
                    + " ms after the start on damaged data; it said:\n  " + String.join("\n  ", said) + "\n  "
                    + status.lines().filter(l -> l.contains("store:")).findFirst().orElse("").strip());
        }
        System.out.println("CorruptDataIT (" + FaultMode.name() + "): " + ROUNDS + " damaged start(s); "
                + expected.size() + " messages delivered, " + ROUNDS * (STORED - DAMAGED + 1)
                + " cut off with the damaged record and counted; lost silently 0");
    }

    private static Path lastSegment(Path store) throws Exception {
        try (var files = Files.list(store)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Flips a byte in the payload of the frame with this sequence number: its checksum fails. */
    private static void flipAByteOfRecord(Path segment, long sequence) throws Exception {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segment));
        while (data.getLong(data.position() + 8) != sequence) {
            int length = data.getInt();
            data.position(data.position() + 12 + length);
        }
        int at = data.position() + 16 + 2;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x20);
        }
    }
    private String awaitLog(int from, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            for (String l : group.log(1).substring(from).split("\\R")) {
                if (l.contains(expected)) {
                    return l;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gateway 1 never logged '" + expected + "':\n" + group.log(1));
    }

    private String awaitStatus(String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String status;
        do {
            status = String.join("\n", answer("mqtt:status"));
            if (status.contains(expected)) {
                return status;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("mqtt:status never showed '" + expected + "':\n" + status);
    }

    private List<String> answer(String command) throws Exception {
        return GsConsole.run(group.gateway(1), command, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway 1 did not answer " + command + "\n" + group.outputs()));
    }
}
