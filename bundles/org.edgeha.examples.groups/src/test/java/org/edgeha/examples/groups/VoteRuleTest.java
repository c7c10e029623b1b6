package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;

import java.util.Optional;
import java.util.regex.Pattern;

import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.VoteValue;
import org.junit.Test;

public class VoteRuleTest {

    private static Optional<StateValue> state(String text) {
        return Optional.of(StateValue.ofUtf8(text));
    }

    @Test
    public void approveAllAndRejectAllIgnoreTheProposal() {
        assertEquals(VoteValue.APPROVE, VoteRule.approveAll().decide(state("anything")));
        assertEquals(VoteValue.APPROVE, VoteRule.approveAll().decide(Optional.empty()));
        assertEquals(VoteValue.REJECT, VoteRule.rejectAll().decide(state("anything")));
        assertEquals(VoteValue.REJECT, VoteRule.rejectAll().decide(Optional.empty()));
    }

    @Test
    public void statePatternMustMatchTheWholeValue() {
        VoteRule rule = VoteRule.statePattern(Pattern.compile("fill.*|idle"));
        assertEquals(VoteValue.APPROVE, rule.decide(state("filling")));
        assertEquals(VoteValue.APPROVE, rule.decide(state("idle")));
        assertEquals(VoteValue.REJECT, rule.decide(state("idle2")));   // no partial match
        assertEquals(VoteValue.REJECT, rule.decide(state("refill")));
        assertEquals(VoteValue.REJECT, rule.decide(Optional.of(StateValue.EMPTY)));
    }

    @Test
    public void statePatternApprovesProtocolsThatProposeNoState() {
        assertEquals(VoteValue.APPROVE, VoteRule.statePattern(Pattern.compile("x")).decide(Optional.empty()));
    }

    @Test
    public void namesAndDescriptions() {
        assertEquals("approve-all", VoteRule.approveAll().toString());
        assertEquals("reject-all", VoteRule.rejectAll().toString());
        assertEquals("state-pattern 'fill.*'", VoteRule.statePattern(Pattern.compile("fill.*")).toString());
        assertEquals("state-pattern", VoteRule.statePattern(Pattern.compile("fill.*")).name());
    }
}
