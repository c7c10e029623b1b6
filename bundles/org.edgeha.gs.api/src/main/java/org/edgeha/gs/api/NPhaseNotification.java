package org.edgeha.gs.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One phase of an n-phase protocol (GSAPI {@code ha_gs_n_phase_notification_t}). The provider must
 * answer with {@link GsClient#vote}, during or after the callback, within {@code timeLimit}.
 *
 * @param token the provider this is for
 * @param protocolType the kind of protocol ({@code gs_protocol_type})
 * @param summary conditions so far, e.g. {@link SummaryCode#TIME_LIMIT_EXCEEDED} when the previous
 *     phase timed out ({@code gs_summary_code})
 * @param timeLimit this phase's voting time limit, {@link Duration#ZERO} for none
 * @param proposal what is proposed, with the phase number and sequence number
 */
public record NPhaseNotification(ProviderToken token, ProtocolType protocolType, Set<SummaryCode> summary,
        Duration timeLimit, Proposal proposal) implements Notification {

    /** Checks for {@code null} and copies the set. */
    public NPhaseNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(protocolType, "protocolType");
        summary = Summary.copy(summary);
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public NotificationType type() {
        return NotificationType.N_PHASE;
    }
}
