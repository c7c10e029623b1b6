package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A notification block: every one begins with its type (GSAPI {@code gs_notification_type}).
 * Implemented only by this package's records; immutable.
 */
@ProviderType
public interface Notification {

    /** @return the kind of notification */
    NotificationType type();
}
