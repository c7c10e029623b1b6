package org.edgeha.mqtt.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.edgeha.mqtt.api.OverflowPolicy;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * kill -9 of a real JVM in the middle of appending and acknowledging (without syncing): every append that returned
 * is there after reopening, in order, and nothing acknowledged comes back.
 */
public class MessageStoreKillTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The victim: appends "m<i>" as fast as it can, acknowledging now and then; reports each after it returned. */
    public static final class Victim {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, false, UTF_8);
            MessageStore store = MessageStore.open(Paths.get(args[0]), 1_000_000, 1L << 30, OverflowPolicy.REJECT_NEW,
                    false);
            byte[] padding = new byte[200];
            for (long i = 1; ; i++) {
                byte[] text = ("m" + i + ":").getBytes(UTF_8);
                byte[] record = new byte[text.length + padding.length];
                System.arraycopy(text, 0, record, 0, text.length);
                out.println("S " + store.append(record));
                if (i % 50 == 0) {
                    store.acknowledge(i - 100);
                    out.println("A " + (i - 100));
                }
                out.flush();
            }
        }
    }

    @Test(timeout = 30_000)
    public void everyReturnedAppendSurvivesKillMinus9() throws Exception {
        Path dir = temp.getRoot().toPath().resolve("store");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process victim = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Victim.class.getName(), dir.toString())
                .redirectError(temp.newFile("victim.err")).start();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        long appended = 0;
        long acknowledged = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(victim.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                long value = Long.parseLong(line.substring(2));
                if (line.startsWith("S ")) {
                    appended = value;
                } else {
                    acknowledged = value;
                }
                if (appended == 2000) { // going strong: kill it at a random point from now on, mid-append likely
                    killer.schedule(() -> victim.toHandle().destroyForcibly(), // SIGKILL; keeps our pipe open
                            ThreadLocalRandom.current().nextInt(1, 30), TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            killer.shutdownNow();
            victim.destroyForcibly();
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue("the victim did not get going: see " + temp.getRoot() + File.separator + "victim.err",
                appended >= 2000);

        try (MessageStore store = MessageStore.open(dir, 1_000_000, 1L << 30, OverflowPolicy.REJECT_NEW, false)) {
            assertTrue(store.discardedOnOpen() <= 1); // at most the append that was cut short
            List<MessageStore.Entry> entries = store.peek(Integer.MAX_VALUE);
            assertTrue(entries.get(0).sequence() > acknowledged);
            long expected = entries.get(0).sequence();
            for (MessageStore.Entry entry : entries) { // in order, no gaps, each the record appended with it
                assertEquals(expected, entry.sequence());
                assertTrue(new String(entry.record(), UTF_8).startsWith("m" + expected + ":"));
                expected++;
            }
            assertTrue(expected - 1 >= appended);
            assertTrue(store.append(new byte[1]) > appended);
        }
    }
}
