package org.edgeha.gs.api;

import java.util.Objects;

/**
 * GSAPI {@code ha_gs_attribute_change_request_t}.
 *
 * @param voting phases and time limit
 * @param newAttributes the proposed attributes; the source group must stay the same
 */
public record AttributeChangeRequest(Voting voting, GroupAttributes newAttributes) implements Request {

    /** Checks for {@code null}. */
    public AttributeChangeRequest {
        Objects.requireNonNull(voting, "voting");
        Objects.requireNonNull(newAttributes, "newAttributes");
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.ATTRIBUTE_CHANGE;
    }
}
