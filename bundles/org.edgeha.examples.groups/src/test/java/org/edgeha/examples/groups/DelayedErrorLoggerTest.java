package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriptionFlag;
import org.edgeha.gs.api.Voting;
import org.junit.Test;

public class DelayedErrorLoggerTest {

    private final RecordingLogger log = new RecordingLogger();

    @Test
    public void eachDelayedErrorIsOneWarningWithGroupTypeCodeAndRequest() {
        DelayedErrorLogger logger = new DelayedErrorLogger(log.logger, Map.of());
        StateChangeRequest r = new StateChangeRequest(Voting.nPhase(Duration.ofSeconds(10)), StateValue.ofUtf8("filling"));
        logger.delayedError(new DelayedErrorNotification(new ProviderToken(3), "line1", ProtocolType.STATE_CHANGE,
                ReturnCode.COLLIDE, r));
        assertEquals(List.of("INFO Example delayed-error logger: logs the delayed errors of every client",
                "WARN Delayed error in group line1: STATE_CHANGE failed with COLLIDE: state change to \"filling\", "
                        + "n-phase, 10000 ms a phase (provider#3)"), log.lines());
    }

    @Test
    public void theClientSelectionIsLoggedAndACommaInANameIsPointedOut() {
        new DelayedErrorLogger(log.logger, Map.of("gs.client.name", new String[] {"gs.whiteboard"}));
        new DelayedErrorLogger(log.logger, Map.of("gs.client.name", "gs.whiteboard,gs.shell"));
        List<String> lines = log.lines();
        assertEquals("INFO Example delayed-error logger: logs the delayed errors of the clients [gs.whiteboard]",
                lines.get(0));
        assertTrue(lines.get(1), lines.get(1).startsWith("WARN Example delayed-error logger: "
                + "gs.client.name=[gs.whiteboard,gs.shell] is one client name with a comma in it"));
        assertEquals(3, lines.size());
    }

    @Test
    public void requestsAreDescribedWithoutTheirCallbacks() {
        ExampleProvider callbacks = new ExampleProvider(new ProviderSettings("g", 1, VoteRule.approveAll()), log.logger);
        assertEquals("join as instance 1 (\"example approve-all\")", DelayedErrorLogger.describe(
                JoinRequest.of("g", 1, callbacks).withLocalName("example approve-all")));
        assertEquals("join as instance 2", DelayedErrorLogger.describe(
                new JoinRequest("g", 2, GroupAttributes.DEFAULT, "", callbacks)));
        assertEquals("state change to \"idle\", one-phase", DelayedErrorLogger.describe(
                new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8("idle"))));
        assertEquals("message \"hello\", n-phase, no time limit", DelayedErrorLogger.describe(
                new MessageRequest(Voting.nPhase(Duration.ZERO), ProviderMessage.ofUtf8("hello"))));
        assertEquals("leave with code 4, one-phase", DelayedErrorLogger.describe(new LeaveRequest(Voting.ONE_PHASE, 4)));
        assertEquals("expel [2/1] (deactivate in phase 1), one-phase", DelayedErrorLogger.describe(
                new ExpelRequest(Voting.ONE_PHASE, List.of(new ProviderId(2, 1)), 1, "")));
        assertEquals("subscribe to [STATE]", DelayedErrorLogger.describe(
                new SubscribeRequest("g", EnumSet.of(SubscriptionFlag.STATE), n -> { })));
    }
}
