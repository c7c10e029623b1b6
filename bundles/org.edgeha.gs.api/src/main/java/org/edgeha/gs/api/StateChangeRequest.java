package org.edgeha.gs.api;

import java.util.Objects;

/**
 * GSAPI {@code ha_gs_state_change_request_t}.
 *
 * @param voting phases and time limit
 * @param newState the proposed state value ({@code gs_new_state})
 */
public record StateChangeRequest(Voting voting, StateValue newState) implements Request {

    /** Checks for {@code null}. */
    public StateChangeRequest {
        Objects.requireNonNull(voting, "voting");
        Objects.requireNonNull(newState, "newState");
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.STATE_CHANGE;
    }
}
