package org.edgeha.gs.api;

import java.util.Objects;
import java.util.Set;

/**
 * An n-phase protocol was rejected (GSAPI {@code ha_gs_protocol_rejected_notification_t}); one-phase
 * protocols are never rejected. Nothing it proposed was applied.
 *
 * @param token the provider this is for
 * @param protocolType the kind of protocol
 * @param summary why: empty for a reject vote; {@link SummaryCode#TIME_LIMIT_EXCEEDED} when a default
 *     reject was given to late voters (an announcement names them);
 *     {@link SummaryCode#PROVIDER_FAILED} when a failed provider's default reject decided it (a
 *     failure-leave follows); {@link SummaryCode#COORDINATOR_LOST} when the coordinator was lost
 * @param proposal what was proposed, with membership and state unchanged
 */
public record RejectedNotification(ProviderToken token, ProtocolType protocolType, Set<SummaryCode> summary,
        Proposal proposal) implements Notification {

    /** Checks for {@code null} and copies the set. */
    public RejectedNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(protocolType, "protocolType");
        summary = Summary.copy(summary);
        Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public NotificationType type() {
        return NotificationType.REJECTED;
    }
}
