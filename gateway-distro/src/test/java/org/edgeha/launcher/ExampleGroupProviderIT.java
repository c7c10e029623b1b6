package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.edgeha.launcher.GsConsole.GsView;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's "Try the example provider", done as an operator does it on a running gateway: copy the
 * examples bundle into deploy/, write a factory configuration into etc/, watch the provider join with
 * {@code gs:view}, propose 2-phase changes with {@code gs:state} and see its rule decide them; then a bad
 * configuration (one ERROR line, nothing joins), a duplicate instance (the delayed-error logger's line)
 * and a deleted configuration (the provider leaves).
 */
public class ExampleGroupProviderIT {

    private static final String LOG_TAG = "[org.edgeha.examples.groups] ";
    private static final String PROVIDER = LOG_TAG + "Example provider line1 (instance 1): ";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Runs {@code gs:view line1} until the view matches; the last view seen otherwise. */
    private static GsView awaitView(GatewayProcess g, Predicate<GsView> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        GsView v = null;
        while (System.nanoTime() < deadline) {
            Optional<List<String>> lines = GsConsole.run(g, "gs:view line1", 10, TimeUnit.SECONDS);
            if (lines.isPresent()) {
                v = GsView.parse(1, lines.get());
                if (match.test(v)) {
                    return v;
                }
            }
            Thread.sleep(200); // FileInstall polls deploy/ and etc/ every second
        }
        return v;
    }

    /** Writes a file FileInstall picks up only once it is complete (its filter ignores the .tmp name). */
    private static void writeConfig(Path etc, String name, String... lines) throws IOException {
        Path tmp = etc.resolve(name + ".tmp");
        Files.write(tmp, List.of(lines), StandardCharsets.UTF_8);
        Files.move(tmp, etc.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until data/log/edgeha0.log has a line containing every text; returns it, or empty at the deadline. */
    private static Optional<String> awaitLogLine(Path log, String... texts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (List.of(texts).stream().allMatch(line::contains)) {
                        return Optional.of(line);
                    }
                }
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    @Test
    public void theDeployedExampleProviderJoinsAndItsRuleDecidesTwoPhaseChanges() throws Exception {
        Path example = Path.of(System.getProperty("edgeha.example.groups.jar"));
        File home = tmp.newFolder("g");
        Path etc = home.toPath().resolve("etc");
        Path log = home.toPath().resolve("data").resolve("log").resolve("edgeha0.log");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx32m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1")) {
            assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .isPresent());

            Files.copy(example, home.toPath().resolve("deploy").resolve(example.getFileName()));
            writeConfig(etc, "org.edgeha.examples.groups.provider-line1.cfg", "group=line1", "instance=1",
                    "vote.rule=state-pattern", "state.pattern=fill.*|idle");
            GsView joined = awaitView(gateway, v -> "[1/1]".equals(v.members()));
            assertEquals("the provider joined; output:\n" + gateway.output(), "[1/1]", joined.members());

            assertTrue(GsConsole.run(gateway, "gs:join line1", 10, TimeUnit.SECONDS).isPresent());
            GsView two = awaitView(gateway, v -> "[1/1, 1/9999]".equals(v.members()) && "-".equals(v.running()));
            assertEquals("the shell joined; output:\n" + gateway.output(), "[1/1, 1/9999]", two.members());

            // 2-phase: the provider votes, and "filling" matches its pattern
            GsConsole.run(gateway, "gs:state line1 filling --phases 2", 10, TimeUnit.SECONDS);
            GsView filled = awaitView(gateway, v -> "\"filling\"".equals(v.state()) && "-".equals(v.running()));
            assertEquals("approved; output:\n" + gateway.output(), "\"filling\"", filled.state());

            // "stopped" does not match: rejected, the state stays
            GsConsole.run(gateway, "gs:state line1 stopped --phases 2", 10, TimeUnit.SECONDS);
            GsView refused = awaitView(gateway, v -> v.events().stream().anyMatch(e -> e.startsWith("rejected STATE_CHANGE"))
                    && "-".equals(v.running()));
            assertTrue("rejected; view:\n" + String.join("\n", refused.raw()),
                    refused.events().stream().anyMatch(e -> e.startsWith("rejected STATE_CHANGE seq " + refused.seq())));
            assertEquals("\"filling\"", refused.state());

            long approvedSeq = filled.seq();
            long rejectedSeq = refused.seq();
            assertTrue(awaitLogLine(log, "INFO ", PROVIDER + "joining as provider#").isPresent());
            assertTrue(awaitLogLine(log, PROVIDER + "n-phase seq " + approvedSeq + " STATE_CHANGE phase 1, proposed "
                    + "\"filling\", state \"\": votes APPROVE").isPresent());
            assertTrue(awaitLogLine(log, PROVIDER + "approved seq " + approvedSeq + " STATE_CHANGE after 1 phase, state "
                    + "\"filling\", members [1/1, 1/9999]").isPresent());
            assertTrue(awaitLogLine(log, PROVIDER + "n-phase seq " + rejectedSeq + " STATE_CHANGE phase 1, proposed "
                    + "\"stopped\", state \"filling\": votes REJECT").isPresent());
            assertTrue(Files.readString(log), awaitLogLine(log, PROVIDER + "rejected seq " + rejectedSeq
                    + " STATE_CHANGE after 1 phase, proposed \"stopped\", state stays \"filling\", by a reject vote")
                    .isPresent());

            // A bad configuration: one ERROR line naming the property, no stack trace, nothing joins.
            writeConfig(etc, "org.edgeha.examples.groups.provider-bad.cfg", "group=line1", "instance=2",
                    "vote.rule=state-pattern", "state.pattern=fill[");
            Optional<String> error = awaitLogLine(log, "ERROR", LOG_TAG + "Example group provider",
                    "state.pattern 'fill[' is not a valid regular expression", "not registered");
            assertTrue(Files.readString(log), error.isPresent());
            List<String> logLines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int at = logLines.indexOf(error.get());
            assertFalse("no stack trace after\n" + error.get(), at + 1 < logLines.size()
                    && (logLines.get(at + 1).startsWith("\tat ") || logLines.get(at + 1).contains("Exception")));

            // A second provider with instance 1 in line1: its join fails later, as a delayed error.
            writeConfig(etc, "org.edgeha.examples.groups.provider-dup.cfg", "group=line1", "instance=1");
            Optional<String> duplicate = awaitLogLine(log, "WARN ", LOG_TAG + "Delayed error in group line1: JOIN "
                    + "failed with DUPLICATE_INSTANCE_NUMBER: join as instance 1 (\"example approve-all\") (provider#");
            assertTrue(Files.readString(log), duplicate.isPresent());
            String token = duplicate.get().substring(duplicate.get().lastIndexOf("(provider#") + 1).replace(")", "");
            assertTrue("the refused provider is detached; log:\n" + Files.readString(log),
                    awaitLogLine(log, PROVIDER + "membership of " + token + " ended").isPresent());
            assertEquals("[1/1, 1/9999]", awaitView(gateway, v -> true).members());

            // Deleting the configuration unregisters the provider: the engine says goodbye for it.
            Files.delete(etc.resolve("org.edgeha.examples.groups.provider-line1.cfg"));
            GsView left = awaitView(gateway, v -> "[1/9999]".equals(v.members()));
            assertEquals("the provider left; output:\n" + gateway.output(), "[1/9999]", left.members());

            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
