package org.edgeha.gs.api;

/**
 * A request a client made (GSAPI {@code ha_gs_proposal_info_t}); a delayed error hands the original
 * request back in {@link DelayedErrorNotification#failingRequest()}. Immutable value types.
 */
public sealed interface Request permits JoinRequest, LeaveRequest, ExpelRequest, StateChangeRequest,
        MessageRequest, AttributeChangeRequest, SubscribeRequest {

    /** @return the request's protocol type */
    ProtocolType protocolType();
}
