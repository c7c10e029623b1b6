package org.edgeha.gs.api;

import java.util.Objects;

/**
 * Why one provider leaves, in a leave, expel or failure-leave protocol (GSAPI {@code gs_leave_info}).
 *
 * @param provider the leaving provider
 * @param reason why it leaves
 * @param leaveCode the application code of a voluntary leave, else 0
 */
public record LeaveInfo(ProviderId provider, LeaveReason reason, int leaveCode) {

    /** Checks for {@code null}. */
    public LeaveInfo {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(reason, "reason");
    }
}
