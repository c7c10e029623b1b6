package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeha.launcher.GsConsole.GsView;
import org.edgeha.testing.broker.BrokerFixture;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Gateways killed with SIGKILL in the middle of an n-phase protocol (SPEC 2.4, 3.3), between three real gateways on a
 * private Mosquitto. Each gateway runs the fault suite's provider ({@code itests/fault-provider}, instance 1 in group
 * {@value #GROUP}), which holds its votes until the test answers them, so the protocol is in a known phase when the
 * kill comes:
 *
 * <ul>
 * <li>a member (gateway 3) is killed in phase 1, 2 and 3 of a 3-phase state change proposed on gateway 2: the
 * survivors finish it with the default vote (approve) for the dead member, the approval says
 * {@code PROVIDER_FAILED}, then exactly one failure-leave removes it ({@code NODE_FAILED});
 * <li>the coordinator (gateway 1) is killed in a phase: gateway 2 takes over, the protocol ends rejected with
 * {@code COORDINATOR_LOST} (a protocol cut short by a takeover is never re-run, design 9.4), then one failure-leave;
 * <li>a provider too slow for the phase time limit gets the default vote, is named in a
 * {@code TIME_LIMIT_EXCEEDED} announcement, and the group goes on.
 * </ul>
 *
 * After each kill the survivors agree on seq, state and membership, every survivor saw gap-free sequence numbers,
 * and the killed gateway, started again on the same home, joins again and has the current state. Quick mode: each
 * phase once; long mode ({@link FaultMode}): five times each.
 */
public class GatewayCrashIT {

    private static final String GROUP = "crash";
    private static final int KEEPALIVE_S = 4;
    private static final int WILL_DELAY_S = 1;
    private static final int PHASES = 3;
    private static final long TIME_LIMIT_MS = 60_000; // far beyond the test's pace: only a failure closes a phase
    private static final int REPETITIONS = FaultMode.count(1, 5);
    private static final Pattern EVENT = Pattern.compile("fault-event E(\\d+) (.*)$");
    private static final Pattern ENDED = Pattern.compile("^(approved|rejected) (\\w+) seq (\\d+) .*");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(FaultMode.LONG ? 1_200 : 240);

    private static BrokerFixture broker;
    private static GatewayGroup group;
    private static int value;
    private static int kills;

    @BeforeClass
    public static void startThreeGateways() throws Exception {
        long started = System.nanoTime();
        broker = BrokerFixture.start();
        group = new GatewayGroup(tmp.getRoot().toPath(), KEEPALIVE_S, WILL_DELAY_S);
        Path provider = Path.of(System.getProperty("edgeha.fault.provider.jar"));
        for (int node = 1; node <= 3; node++) {
            group.deploy(node, provider);
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 3; node++) {
            expect(node, "fault:join " + GROUP, "fault: joining " + GROUP);
        }
        awaitAgreement(List.of(1, 2, 3), "[1/1, 2/1, 3/1]", null, 60);
        System.out.println("GatewayCrashIT (" + FaultMode.name() + "): 3 gateways in group " + GROUP + " after "
                + ms(started) + " ms");
    }

    @AfterClass
    public static void stopAll() throws Exception {
        try {
            if (group != null) {
                group.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        System.out.println("GatewayCrashIT (" + FaultMode.name() + "): " + kills + " gateways killed with SIGKILL");
    }

    @Before
    public void allApproveAtOnce() throws Exception {
        for (int node = 1; node <= 3; node++) {
            expect(node, "fault:auto", "fault: mode auto");
        }
    }

    @Test
    public void aMemberKilledInAnyPhaseGetsTheDefaultVoteAndOneFailureLeave() throws Exception {
        for (int rep = 0; rep < REPETITIONS; rep++) {
            for (int phase = 1; phase <= PHASES; phase++) {
                crash(3, 2, phase);
            }
        }
    }

    @Test
    public void theCoordinatorKilledInAPhaseIsTakenOverAndTheProtocolEndsCoordinatorLost() throws Exception {
        for (int rep = 0; rep < REPETITIONS; rep++) {
            crash(1, 2, rep % PHASES + 2 > PHASES ? 1 : rep % PHASES + 2); // phase 2 first, then 3, 1, 2, ...
        }
    }

    @Test
    public void aProviderTooSlowForTheTimeLimitGetsTheDefaultVoteAndIsAnnounced() throws Exception {
        Map<Integer, Integer> from = eventCounts(List.of(1, 2, 3));
        expect(3, "fault:delay 4000", "fault: mode delay 4000 ms");
        String v = "slow" + (++value);
        long proposed = System.nanoTime();
        once(2, "fault:propose " + v + " 1500", "fault: proposed " + v);
        for (int node = 1; node <= 3; node++) {
            String announced = awaitEvent(node, from.get(node), e -> e.startsWith("announcement [TIME_LIMIT_EXCEEDED]"), 20);
            assertEquals("gateway " + node + " was told who was late", "announcement [TIME_LIMIT_EXCEEDED] affected [3/1]",
                    announced);
            String approved = awaitEvent(node, from.get(node), e -> e.startsWith("approved STATE_CHANGE")
                    && e.contains("state \"" + v + "\""), 20);
            assertTrue("the approval names the time limit: " + approved, approved.contains("TIME_LIMIT_EXCEEDED"));
        }
        System.out.println("GatewayCrashIT: the late provider was announced and the change approved "
                + ms(proposed) + " ms after the proposal (time limit 1500 ms, provider 4000 ms late)");
        // Its late vote comes after the protocol ended: refused, and nothing else happens.
        String late = awaitEvent(3, from.get(3), e -> e.startsWith("late "), 20);
        assertTrue("the late vote was refused: " + late, late.contains("refused"));
        System.out.println("GatewayCrashIT: the late provider: " + late);
        expect(3, "fault:auto", "fault: mode auto");
        // The group goes on.
        String after = "after" + (++value);
        once(1, "fault:propose " + after + " 10000", "fault: proposed " + after);
        GsView agreed = awaitAgreement(List.of(1, 2, 3), "[1/1, 2/1, 3/1]", "\"" + after + "\"", 30);
        for (int node = 1; node <= 3; node++) {
            assertGapFree(node, from.get(node));
        }
        System.out.println("GatewayCrashIT: the group went on: " + agreed.agreed());
    }

    /**
     * Gateway {@code victim} is killed while every provider holds phase {@code killPhase} of a 3-phase change proposed
     * on {@code proposer}; then checks the outcome and starts the victim again.
     */
    private void crash(int victim, int proposer, int killPhase) throws Exception {
        List<Integer> all = List.of(1, 2, 3);
        List<Integer> survivors = all.stream().filter(n -> n != victim).toList();
        boolean coordinator = victim == 1;
        String before = awaitAgreement(all, "[1/1, 2/1, 3/1]", null, 30).state();
        Map<Integer, Integer> from = eventCounts(all);
        for (int node : all) {
            expect(node, "fault:hold", "fault: mode hold");
        }
        String v = "v" + (++value);
        long started = System.nanoTime();
        once(proposer, "fault:propose " + v + " " + TIME_LIMIT_MS, "fault: proposed " + v);
        long seq = -1;
        List<Long> heldAfter = new ArrayList<>();
        for (int phase = 1; phase < killPhase; phase++) {
            seq = awaitHeld(all, from, phase);
            heldAfter.add(ms(started));
            for (int node : all) {
                once(node, "fault:vote continue", "fault: voted CONTINUE in seq " + seq + " phase " + phase);
            }
        }
        seq = awaitHeld(all, from, killPhase);
        heldAfter.add(ms(started));
        group.kill(victim);
        kills++;
        long killedAt = System.nanoTime();

        String outcome;
        if (coordinator) {
            // The survivors' votes went to a dead coordinator; the one taking over aborts the protocol.
            for (int node : survivors) {
                once(node, "fault:vote continue", "fault: vote");
            }
            final long s = seq;
            for (int node : survivors) {
                outcome = awaitEvent(node, from.get(node), e -> e.startsWith("rejected STATE_CHANGE seq " + s + " "), 60);
                assertTrue("gateway " + node + ": " + outcome, outcome.contains("COORDINATOR_LOST"));
            }
        } else {
            for (int phase = killPhase; phase <= PHASES; phase++) {
                if (phase > killPhase) {
                    awaitHeld(survivors, from, phase);
                }
                String vote = phase < PHASES ? "continue" : "approve";
                for (int node : survivors) {
                    once(node, "fault:vote " + vote, "fault: voted " + vote.toUpperCase() + " in seq " + seq
                            + " phase " + phase);
                }
            }
            final long s = seq;
            for (int node : survivors) {
                outcome = awaitEvent(node, from.get(node), e -> e.startsWith("approved STATE_CHANGE seq " + s + " "), 60);
                assertTrue("gateway " + node + " approved with the dead member's default vote: " + outcome,
                        outcome.contains("state \"" + v + "\"") && outcome.contains("PROVIDER_FAILED"));
            }
        }
        final long leaveSeq = seq + 1;
        String leave = victim + "/1 NODE_FAILED";
        for (int node : survivors) {
            String removed = awaitEvent(node, from.get(node), e -> e.startsWith("approved FAILURE_LEAVE seq " + leaveSeq
                    + " "), 60);
            assertTrue("gateway " + node + ": " + removed, removed.contains("leave [" + leave + "]"));
        }
        long removedMillis = ms(killedAt);
        String survivorMembers = survivors.stream().map(n -> n + "/1").toList().toString();
        String state = coordinator ? before : "\"" + v + "\"";
        GsView without = awaitAgreement(survivors, survivorMembers, state, 30);
        assertEquals(leaveSeq, without.seq());
        for (int node : survivors) {
            List<String> events = events(node, from.get(node));
            long leaves = events.stream().filter(e -> e.startsWith("approved FAILURE_LEAVE") && e.contains(victim + "/1 "))
                    .count();
            assertEquals("gateway " + node + ": one failure-leave for " + victim + "/1: " + events, 1, leaves);
            assertGapFree(node, from.get(node));
        }

        // The killed gateway comes back on its home, joins again and catches up with the current state.
        long restarting = System.nanoTime();
        group.start(victim, broker.uri());
        expect(victim, "fault:auto", "fault: mode auto");
        for (int node : survivors) {
            expect(node, "fault:auto", "fault: mode auto");
        }
        expect(victim, "fault:join " + GROUP, "fault: joining " + GROUP);
        GsView back = awaitAgreement(all, "[1/1, 2/1, 3/1]", state, 60);
        String joined = awaitEvent(victim, 0, e -> e.startsWith("approved JOIN"), 10);
        assertTrue("the rejoined provider got the current state " + state + ": " + joined,
                joined.contains("state " + state));
        System.out.println("GatewayCrashIT: " + (coordinator ? "coordinator" : "member") + " " + victim
                + " killed in phase " + killPhase + " of seq " + seq + " (phases 1.." + killPhase + " held on all three "
                + heldAfter + " ms after the proposal): "
                + (coordinator ? "rejected COORDINATOR_LOST" : "approved with its default vote")
                + ", failure-leave applied " + removedMillis + " ms after the kill; back and caught up "
                + ms(restarting) + " ms after its restart: " + back.agreed());
    }

    /**
     * Waits until every gateway of {@code nodes} was told of {@code phase} of the protocol started after event
     * {@code from} (held: the providers are in hold mode); @return its seq
     */
    private static long awaitHeld(List<Integer> nodes, Map<Integer, Integer> from, int phase) throws Exception {
        Pattern held = Pattern.compile("^nphase STATE_CHANGE seq (\\d+) phase " + phase + " .*");
        long seq = -1;
        for (int node : nodes) {
            String e = awaitEvent(node, from.get(node), l -> held.matcher(l).matches(), 30);
            Matcher m = held.matcher(e);
            assertTrue(m.matches());
            long found = Long.parseLong(m.group(1));
            assertTrue("one protocol on every gateway: seq " + found + " and " + seq, seq < 0 || seq == found);
            seq = found;
        }
        return seq;
    }

    /** Within a gateway's events from {@code from} on, the protocols that ended have consecutive seqs, each once. */
    private static void assertGapFree(int node, int from) throws Exception {
        long last = -1;
        List<String> events = events(node, from);
        for (String e : events) {
            Matcher m = ENDED.matcher(e);
            if (m.matches()) {
                long seq = Long.parseLong(m.group(3));
                assertTrue("gateway " + node + ": seq " + seq + " after " + last + " in " + events,
                        last < 0 || seq == last + 1);
                last = seq;
            }
        }
    }

    /** Waits until the gateways agree: same seq, members and state, nothing running. */
    private static GsView awaitAgreement(List<Integer> nodes, String members, String state, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<Integer, GsView> last = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            last.clear();
            for (int node : nodes) {
                last.put(node, GsConsole.view(group, node, GROUP));
            }
            List<String> agreed = last.values().stream().map(v -> v.agreed() + ", running " + v.running()).distinct()
                    .toList();
            GsView first = last.values().iterator().next();
            if (agreed.size() == 1 && "-".equals(first.running()) && members.equals(first.members())
                    && (state == null || state.equals(first.state()))) {
                return first;
            }
            Thread.sleep(500);
        }
        StringBuilder b = new StringBuilder("gateways " + nodes + " never agreed on members " + members + ", state "
                + state + ":");
        last.values().forEach(v -> b.append("\n  gateway ").append(v.node()).append(": ").append(v.agreed())
                .append(", running ").append(v.running()).append(", coordinator ").append(v.coordinator()));
        for (int node : nodes) {
            b.append("\n  events of ").append(node).append(": ").append(events(node, 0));
        }
        throw new AssertionError(b + "\n" + group.outputs());
    }

    private static Map<Integer, Integer> eventCounts(List<Integer> nodes) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int node : nodes) {
            TreeMap<Integer, String> all = allEvents(node);
            counts.put(node, all.isEmpty() ? 0 : all.lastKey() + 1);
        }
        return counts;
    }

    /** The provider's events on {@code node} (its current process), from number {@code from} on. */
    private static List<String> events(int node, int from) {
        return List.copyOf(allEvents(node).tailMap(from).values());
    }

    /** What the provider printed as {@code fault-event E<n> <event>} (watched, not asked: see FaultProvider). */
    private static TreeMap<Integer, String> allEvents(int node) {
        TreeMap<Integer, String> events = new TreeMap<>();
        for (String l : group.gateway(node).output().split("\\R")) {
            Matcher m = EVENT.matcher(l);
            if (m.find()) {
                events.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return events;
    }

    private static String awaitEvent(int node, int from, Predicate<String> match, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Optional<String> e = events(node, from).stream().filter(match).findFirst();
            if (e.isPresent()) {
                return e.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gateway " + node + ": no such event in " + seconds + " s; events since " + from
                        + ": " + events(node, from) + "\n" + group.outputs());
            }
            Thread.sleep(50);
        }
    }

    private static List<String> answer(int node, String command) throws Exception {
        return GsConsole.run(group.gateway(node), command, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway " + node + " did not answer " + command + "\n"
                        + group.outputs()));
    }

    /** Types a command that must not be repeated (a vote, a proposal) once; fails unless its answer has {@code expected}. */
    private static void once(int node, String command, String expected) throws Exception {
        List<String> out = answer(node, command);
        assertTrue("gateway " + node + ": '" + command + "' answered " + out + ", not '" + expected + "'",
                out.stream().anyMatch(l -> l.contains(expected)));
    }

    /** Types an idempotent command until its answer has {@code expected} (the bundle may not be started yet). */
    private static void expect(int node, String command, String expected) throws Exception {
        if (group.ask(node, command, expected).isEmpty()) {
            throw new AssertionError("gateway " + node + ": '" + command + "' never printed '" + expected + "'\n"
                    + group.outputs());
        }
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
