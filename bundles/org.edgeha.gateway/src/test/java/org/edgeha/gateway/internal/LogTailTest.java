package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** log:tail's reading of the log folder: the last lines (across a rotation), and following the file. */
public class LogTailTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theLastLinesTakeFromTheRotatedFileWhenTheNewOneHasFewer() throws Exception {
        Path folder = tmp.getRoot().toPath();
        Files.write(folder.resolve("edgeha1.log"), List.of("a", "b", "c"));
        Files.write(folder.resolve("edgeha0.log"), List.of("d", "e"));
        assertEquals(List.of("b", "c", "d", "e"), LogCommands.lastLines(folder, 4));
        assertEquals(List.of("e"), LogCommands.lastLines(folder, 1));
        assertEquals(List.of("a", "b", "c", "d", "e"), LogCommands.lastLines(folder, 20));
    }

    @Test(timeout = 10_000)
    public void followingPrintsWhatIsAppendedAndStartsAgainAfterARotation() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("edgeha0.log");
        Files.writeString(file, "old line\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicBoolean stop = new AtomicBoolean();
        Thread follower = new Thread(() -> {
            try {
                LogCommands.follow(file, out, stop::get);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        follower.start();
        Thread.sleep(300);
        Files.writeString(file, "new line\n", StandardOpenOption.APPEND);
        awaitText(bytes, "new line\n");
        Files.writeString(file, "x\n"); // rotated: a new, shorter file
        awaitText(bytes, "new line\nx\n");
        stop.set(true);
        follower.join(TimeUnit.SECONDS.toMillis(5));
        assertTrue("stops when told", !follower.isAlive());
        assertTrue(bytes.toString(StandardCharsets.UTF_8), !bytes.toString(StandardCharsets.UTF_8).contains("old line"));
    }

    private static void awaitText(ByteArrayOutputStream bytes, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!bytes.toString(StandardCharsets.UTF_8).equals(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(text, bytes.toString(StandardCharsets.UTF_8));
    }
}
