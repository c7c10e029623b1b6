package org.edgeha.gs.api;

import java.util.Objects;

/**
 * GSAPI {@code ha_gs_message_request_t}: a provider broadcast sent as a protocol.
 *
 * @param voting phases and time limit
 * @param message the message ({@code gs_message})
 */
public record MessageRequest(Voting voting, ProviderMessage message) implements Request {

    /** Checks for {@code null}. */
    public MessageRequest {
        Objects.requireNonNull(voting, "voting");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.MESSAGE;
    }
}
