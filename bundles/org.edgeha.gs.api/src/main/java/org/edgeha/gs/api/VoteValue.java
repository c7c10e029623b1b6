package org.edgeha.gs.api;

/** A provider's vote in one phase of an n-phase protocol. */
public enum VoteValue {
    /** Approve; when every provider approves, the protocol is approved. */
    APPROVE,
    /** Reject; any reject ends the protocol as rejected (failure-leaves are always approved). */
    REJECT,
    /** Ask for another phase. */
    CONTINUE
}
