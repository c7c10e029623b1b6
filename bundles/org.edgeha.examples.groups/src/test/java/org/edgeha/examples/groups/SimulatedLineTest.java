package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.junit.Test;

/**
 * Example providers on simulated gateways, joined as the whiteboard joins them, with an operator's
 * provider (like the one {@code gs:join} makes: it approves every phase) proposing changes.
 */
public class SimulatedLineTest {

    private static final String GROUP = "line1";
    private static final Voting TWO_PHASE = Voting.nPhase(Duration.ofSeconds(2)); // what gs:state --phases 2 asks for

    /** The shell's provider, in short: approves every phase, proposes, and records how its changes ended. */
    private static final class Operator implements ProviderCallbacks {
        private final GsClient client;
        private final ProviderToken token;
        private final List<String> outcomes = new ArrayList<>();

        Operator(SimGateways gateways, int node) {
            client = gateways.client(node, "gs.shell");
            token = client.join(new JoinRequest(GROUP, 9_999, GroupAttributes.DEFAULT, "shell", this));
        }

        void propose(String state, Voting voting) {
            client.changeStateValue(token, new StateChangeRequest(voting, StateValue.ofUtf8(state)));
        }

        void send(String message, Voting voting) {
            client.sendMessage(token, new MessageRequest(voting, ProviderMessage.ofUtf8(message)));
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            client.vote(n.token(), Vote.approve());
        }

        @Override
        public synchronized void approved(ApprovedNotification n) {
            if (n.protocolType() != ProtocolType.JOIN) {
                outcomes.add("approved " + n.protocolType() + " " + n.proposal().currentState());
            }
        }

        @Override
        public synchronized void rejected(RejectedNotification n) {
            outcomes.add("rejected " + n.protocolType() + " " + n.proposal().proposedState().orElse(StateValue.EMPTY));
        }

        synchronized List<String> outcomes() {
            return List.copyOf(outcomes);
        }
    }

    private static ExampleProvider provider(VoteRule rule, RecordingLogger log) {
        return new ExampleProvider(new ProviderSettings(GROUP, 1, rule), log.logger);
    }

    private static void awaitOutcomes(SimGateways g, Operator op, int count) {
        g.await(count + " outcome(s) at the operator", () -> op.outcomes().size() >= count, 10_000);
    }

    @Test
    public void theStatePatternOfOneGatewayDecidesNPhaseChangesForTheWholeGroup() {
        SimGateways g = new SimGateways(3, 11);
        RecordingLogger log1 = new RecordingLogger();
        RecordingLogger log2 = new RecordingLogger();
        ProviderSettings strict = new ProviderSettings(GROUP, 1, VoteRule.statePattern(Pattern.compile("fill.*|idle")));
        ProviderSettings lenient = new ProviderSettings(GROUP, 1, VoteRule.approveAll());
        g.register(1, new ExampleProvider(strict, log1.logger), strict.serviceProperties());
        g.register(2, new ExampleProvider(lenient, log2.logger), lenient.serviceProperties());
        g.await("line formed", () -> g.settled(GROUP, 2), 30_000);
        Operator op = new Operator(g, 3);
        g.await("operator joined", () -> g.settled(GROUP, 3), 30_000);
        assertEquals("[1/1, 2/1, 3/9999]", g.view(1, GROUP).members().toString());

        op.propose("filling", TWO_PHASE);
        awaitOutcomes(g, op, 1);
        long filling = g.view(1, GROUP).seq();
        op.propose("stopped", TWO_PHASE); // gateway 1's pattern refuses it
        awaitOutcomes(g, op, 2);
        g.await("settled", () -> g.settled(GROUP, 3), 5_000);
        long stopped = g.view(1, GROUP).seq();
        op.send("hello", TWO_PHASE);      // proposes no state: the pattern does not apply
        awaitOutcomes(g, op, 3);
        op.propose("stopped", Voting.ONE_PHASE); // one-phase: nobody votes
        awaitOutcomes(g, op, 4);
        g.await("applied everywhere", () -> g.settled(GROUP, 3)
                && List.of(1, 2, 3).stream().allMatch(n -> g.view(n, GROUP).state().asUtf8().equals("stopped")), 5_000);

        assertEquals(List.of("approved STATE_CHANGE \"filling\"", "rejected STATE_CHANGE \"stopped\"",
                "approved MESSAGE \"filling\"", "approved STATE_CHANGE \"stopped\""), op.outcomes());
        String p1 = "INFO Example provider line1 (instance 1): ";
        assertLogged(log1, p1 + "joining as provider#");
        assertLogged(log1, p1 + "n-phase seq " + filling + " STATE_CHANGE phase 1, proposed \"filling\", state \"\": votes APPROVE");
        assertLogged(log1, p1 + "approved seq " + filling + " STATE_CHANGE after 1 phase, state \"filling\", members [1/1, 2/1, 3/9999]");
        assertLogged(log1, p1 + "n-phase seq " + stopped + " STATE_CHANGE phase 1, proposed \"stopped\", state \"filling\": votes REJECT");
        assertLogged(log1, p1 + "rejected seq " + stopped + " STATE_CHANGE after 1 phase, proposed \"stopped\", state stays \"filling\", by a reject vote");
        assertLogged(log1, p1 + "n-phase seq " + (stopped + 1) + " MESSAGE phase 1, proposed no state, state \"filling\": votes APPROVE");
        assertLogged(log1, p1 + "approved seq " + (stopped + 2) + " STATE_CHANGE (one-phase), state \"stopped\"");
        // gateway 2 approved "stopped" and still saw it rejected
        assertLogged(log2, p1 + "n-phase seq " + stopped + " STATE_CHANGE phase 1, proposed \"stopped\", state \"filling\": votes APPROVE");
        assertLogged(log2, p1 + "rejected seq " + stopped + " STATE_CHANGE");
        g.assertHealthy();
    }

    @Test
    public void rejectAllRefusesEveryVotedChangeButMembersStillComeAndGo() {
        SimGateways g = new SimGateways(2, 12);
        RecordingLogger log = new RecordingLogger();
        ProviderSettings frozen = new ProviderSettings(GROUP, 1, VoteRule.rejectAll());
        g.register(1, new ExampleProvider(frozen, log.logger), frozen.serviceProperties());
        Operator op = new Operator(g, 2);
        g.await("line formed", () -> g.settled(GROUP, 2), 30_000);

        op.propose("filling", TWO_PHASE);
        awaitOutcomes(g, op, 1);
        g.await("settled", () -> g.settled(GROUP, 2), 5_000);
        ProviderSettings other = new ProviderSettings(GROUP, 1, VoteRule.approveAll());
        g.register(2, new ExampleProvider(other, new RecordingLogger().logger), other.serviceProperties());
        g.await("a third member joined (joins are one-phase with the default attributes)", () -> g.settled(GROUP, 3), 30_000);
        op.propose("idle", Voting.ONE_PHASE);
        awaitOutcomes(g, op, 2);

        assertEquals(List.of("rejected STATE_CHANGE \"filling\"", "approved STATE_CHANGE \"idle\""), op.outcomes());
        assertEquals(1, log.matching("votes REJECT").size());
        assertEquals(1, log.matching("approved seq " + g.view(1, GROUP).seq() + " STATE_CHANGE (one-phase), state \"idle\", "
                + "members [1/1, 2/1, 2/9999]").size());
        g.assertHealthy();
    }

    @Test
    public void aSecondProviderWithTheSameInstanceIsReportedByTheDelayedErrorLogger() {
        SimGateways g = new SimGateways(2, 13);
        RecordingLogger errors = new RecordingLogger();
        g.addDelayedErrorCallback(new DelayedErrorLogger(errors.logger, java.util.Map.of()));
        RecordingLogger log = new RecordingLogger();
        ProviderSettings s = new ProviderSettings(GROUP, 1, VoteRule.approveAll());
        g.register(1, provider(VoteRule.approveAll(), log), s.serviceProperties());
        g.await("line formed", () -> g.settled(GROUP, 1), 30_000);
        ProviderToken second = g.register(1, provider(VoteRule.approveAll(), log), s.serviceProperties());
        g.await("the error logged", () -> errors.matching("Delayed error").size() == 1, 10_000);

        assertEquals("WARN Delayed error in group line1: JOIN failed with DUPLICATE_INSTANCE_NUMBER: join as instance 1 "
                + "(\"example approve-all\") (" + second + ")", errors.matching("Delayed error").get(0));
        g.await("the refused provider detached", () -> !log.matching("membership of " + second + " ended").isEmpty(),
                10_000);
        g.runFor(2_000);
        assertEquals("[1/1]", g.view(1, GROUP).members().toString());
        g.assertHealthy();
    }

    private static void assertLogged(RecordingLogger log, String start) {
        assertTrue("no line starting with\n  " + start + "\nin\n  " + String.join("\n  ", log.lines()),
                log.lines().stream().anyMatch(l -> l.startsWith(start)));
    }
}
