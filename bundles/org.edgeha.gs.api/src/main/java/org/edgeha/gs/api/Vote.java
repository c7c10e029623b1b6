package org.edgeha.gs.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A provider's vote in one phase (GSAPI {@code ha_gs_vote} arguments).
 *
 * @param value approve, reject or continue
 * @param proposedState a state value to propose; it appears in the next notification of the same
 *     protocol and is committed if the protocol is approved. When several providers propose one in
 *     the same phase, the one of the lowest {@link ProviderId} wins.
 * @param message a message that appears in the next notification of the same protocol
 *     ({@link Proposal#votedMessages()})
 * @param defaultVote a new default vote for the rest of this protocol; empty keeps the current one
 *     ({@code HA_GS_NULL_VOTE}). When several providers set one in the same phase, the lowest
 *     {@link ProviderId} wins.
 */
public record Vote(VoteValue value, Optional<StateValue> proposedState, Optional<ProviderMessage> message,
        Optional<DefaultVote> defaultVote) {

    /** Checks for {@code null}. */
    public Vote {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(proposedState, "proposedState");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(defaultVote, "defaultVote");
    }

    /** @return a plain vote of {@code value} */
    public static Vote of(VoteValue value) {
        return new Vote(value, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** @return a plain approve */
    public static Vote approve() {
        return of(VoteValue.APPROVE);
    }

    /** @return a plain reject */
    public static Vote reject() {
        return of(VoteValue.REJECT);
    }

    /** @return a plain continue */
    public static Vote continueVoting() {
        return of(VoteValue.CONTINUE);
    }

    /** @return a copy carrying a proposed state value */
    public Vote withState(StateValue state) {
        return new Vote(value, Optional.of(state), message, defaultVote);
    }

    /** @return a copy carrying a message */
    public Vote withMessage(ProviderMessage m) {
        return new Vote(value, proposedState, Optional.of(m), defaultVote);
    }

    /** @return a copy that sets the default vote for the rest of the protocol */
    public Vote withDefaultVote(DefaultVote d) {
        return new Vote(value, proposedState, message, Optional.of(d));
    }
}
