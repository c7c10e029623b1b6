package org.edgeha.gs.api;

import java.util.Objects;
import java.util.Set;

/**
 * A protocol was approved (GSAPI {@code ha_gs_protocol_approved_notification_t}): every n-phase
 * protocol approved by vote and every one-phase protocol, once per provider that took part.
 *
 * @param token the provider this is for
 * @param protocolType the kind of protocol
 * @param summary conditions seen during the protocol
 * @param proposal the result: membership and state after the protocol, phases run
 */
public record ApprovedNotification(ProviderToken token, ProtocolType protocolType, Set<SummaryCode> summary,
        Proposal proposal) implements Notification {

    /** Checks for {@code null} and copies the set. */
    public ApprovedNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(protocolType, "protocolType");
        summary = Summary.copy(summary);
        Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public NotificationType type() {
        return NotificationType.APPROVED;
    }
}
