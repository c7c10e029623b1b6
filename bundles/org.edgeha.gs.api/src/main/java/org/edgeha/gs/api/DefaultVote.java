package org.edgeha.gs.api;

/**
 * The vote given to a provider that fails, says goodbye or misses a phase's time limit
 * (GSAPI {@code gs_group_default_vote}).
 */
public enum DefaultVote {
    /** Counted as {@link VoteValue#APPROVE}. */
    APPROVE,
    /** Counted as {@link VoteValue#REJECT}. */
    REJECT;

    /** @return the vote this default stands for */
    public VoteValue asVote() {
        return this == APPROVE ? VoteValue.APPROVE : VoteValue.REJECT;
    }
}
