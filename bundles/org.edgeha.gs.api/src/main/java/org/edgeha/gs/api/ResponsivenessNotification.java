package org.edgeha.gs.api;

import java.util.Objects;

/**
 * A responsiveness ping (GSAPI responsiveness callback): the engine checks that the client still runs
 * its callbacks.
 *
 * @param clientName the pinged client's name
 * @param ping the ping's number, from 1
 */
public record ResponsivenessNotification(String clientName, long ping) implements Notification {

    /** Checks for {@code null}. */
    public ResponsivenessNotification {
        Objects.requireNonNull(clientName, "clientName");
    }

    @Override
    public NotificationType type() {
        return NotificationType.RESPONSIVENESS;
    }
}
