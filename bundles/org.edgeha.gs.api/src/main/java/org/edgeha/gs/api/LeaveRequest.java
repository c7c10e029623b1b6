package org.edgeha.gs.api;

import java.util.Objects;

/**
 * GSAPI {@code ha_gs_leave_request_t}.
 *
 * @param voting phases and time limit
 * @param leaveCode an application code the other providers see in {@link LeaveInfo#leaveCode()}
 */
public record LeaveRequest(Voting voting, int leaveCode) implements Request {

    /** Checks for {@code null}. */
    public LeaveRequest {
        Objects.requireNonNull(voting, "voting");
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.LEAVE;
    }
}
