package org.edgeha.gs.api;

import java.util.Objects;

/**
 * A request failed after it was accepted (GSAPI {@code ha_gs_delayed_error_notification_t}).
 *
 * @param requestToken the token of the provider or subscriber that made the request
 *     ({@code gs_request_token})
 * @param group the group the request was for
 * @param protocolType the request's type ({@code gs_protocol_type})
 * @param returnCode why it failed ({@code gs_delayed_return_code})
 * @param failingRequest the original request, as passed to the call ({@code gs_failing_request})
 */
public record DelayedErrorNotification(Token requestToken, String group, ProtocolType protocolType,
        ReturnCode returnCode, Request failingRequest) implements Notification {

    /** Checks for {@code null}. */
    public DelayedErrorNotification {
        Objects.requireNonNull(requestToken, "requestToken");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(protocolType, "protocolType");
        Objects.requireNonNull(returnCode, "returnCode");
        Objects.requireNonNull(failingRequest, "failingRequest");
    }

    @Override
    public NotificationType type() {
        return NotificationType.DELAYED_ERROR;
    }
}
