package org.edgeha.gs.engine.wire;

import java.util.Objects;

import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.VoteValue;

/**
 * One provider's vote as its gateway forwards it, or an expel target's deactivate result.
 *
 * @param voter the provider
 * @param value the vote; for a deactivate result, {@link VoteValue#APPROVE}
 * @param state a proposed state, or {@code null}
 * @param message a message, or {@code null}
 * @param defaultVote a new default vote, or {@code null}
 * @param deactivateResult {@link #NOT_DEACTIVATE} for a vote, else the deactivate action's result
 *     (0 success)
 */
public record VoteRec(ProviderId voter, VoteValue value, StateValue state, ProviderMessage message,
        DefaultVote defaultVote, int deactivateResult) {

    /** Marks a plain vote. */
    public static final int NOT_DEACTIVATE = Integer.MIN_VALUE;

    public VoteRec {
        Objects.requireNonNull(voter, "voter");
        Objects.requireNonNull(value, "value");
    }

    public static VoteRec deactivated(ProviderId target, int result) {
        return new VoteRec(target, VoteValue.APPROVE, null, null, null, result);
    }

    public boolean isDeactivateResult() {
        return deactivateResult != NOT_DEACTIVATE;
    }
}
