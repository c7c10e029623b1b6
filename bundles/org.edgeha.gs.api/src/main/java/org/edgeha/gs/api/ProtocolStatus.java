package org.edgeha.gs.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A running protocol as this gateway knows it, for operator views.
 *
 * @param seq its sequence number
 * @param protocolType its kind
 * @param phase the phase this gateway last saw (1 or more)
 * @param proposedBy the proposer, empty for system protocols
 */
public record ProtocolStatus(long seq, ProtocolType protocolType, int phase, Optional<ProviderId> proposedBy) {

    /** Checks for {@code null}. */
    public ProtocolStatus {
        Objects.requireNonNull(protocolType, "protocolType");
        Objects.requireNonNull(proposedBy, "proposedBy");
    }
}
