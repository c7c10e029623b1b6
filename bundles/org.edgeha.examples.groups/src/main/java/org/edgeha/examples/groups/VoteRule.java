package org.edgeha.examples.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.VoteValue;

/**
 * How an {@link ExampleProvider} votes in each phase of an n-phase protocol ({@code vote.rule}).
 * One-phase protocols are never voted on, so no rule can stop them. Immutable.
 *
 * <ul>
 * <li>{@value #APPROVE_ALL}: approves every phase.</li>
 * <li>{@value #REJECT_ALL}: rejects every phase, so nothing voted passes while this provider is a member
 * (one-phase changes, and the one-phase joins and failure-leaves of the default attributes, still do).</li>
 * <li>{@value #STATE_PATTERN}: approves a phase whose proposed state value, read as UTF-8 text, matches the
 * pattern as a whole, and rejects one whose value does not; a protocol that proposes no state value
 * (a leave, an expel, a message) is approved.</li>
 * </ul>
 */
final class VoteRule {

    static final String APPROVE_ALL = "approve-all";
    static final String REJECT_ALL = "reject-all";
    static final String STATE_PATTERN = "state-pattern";

    /** The rule names, as {@code vote.rule} takes them. */
    static final List<String> NAMES = List.of(APPROVE_ALL, REJECT_ALL, STATE_PATTERN);

    private static final VoteRule APPROVE = new VoteRule(APPROVE_ALL, null);
    private static final VoteRule REJECT = new VoteRule(REJECT_ALL, null);

    private final String name;
    private final Pattern pattern;

    private VoteRule(String name, Pattern pattern) {
        this.name = name;
        this.pattern = pattern;
    }

    static VoteRule approveAll() {
        return APPROVE;
    }

    static VoteRule rejectAll() {
        return REJECT;
    }

    static VoteRule statePattern(Pattern pattern) {
        return new VoteRule(STATE_PATTERN, Objects.requireNonNull(pattern, "pattern"));
    }

    /** @return the rule's name, one of {@link #NAMES} */
    String name() {
        return name;
    }

    /**
     * @param proposedState the state value the phase proposes ({@code Proposal.proposedState()})
     * @return this provider's vote
     */
    VoteValue decide(Optional<StateValue> proposedState) {
        switch (name) {
            case APPROVE_ALL:
                return VoteValue.APPROVE;
            case REJECT_ALL:
                return VoteValue.REJECT;
            default:
                return proposedState.map(s -> pattern.matcher(s.asUtf8()).matches()).orElse(true)
                        ? VoteValue.APPROVE : VoteValue.REJECT;
        }
    }

    /** @return the name, with the pattern for {@value #STATE_PATTERN}: {@code state-pattern 'fill.*'} */
    @Override
    public String toString() {
        return pattern == null ? name : name + " '" + pattern.pattern() + "'";
    }
}
