package org.edgeha.gs.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An abnormal condition short of a failure (GSAPI {@code ha_gs_announcement_notification_t}): late
 * voters, missed responsiveness pings, failed deactivate actions, lost membership. Nobody is removed
 * because of an announcement.
 *
 * @param token the provider this is for
 * @param group the group
 * @param summary what happened
 * @param affected the providers concerned ({@code gs_announcement}), in {@link ProviderId} order
 */
public record AnnouncementNotification(ProviderToken token, String group, Set<SummaryCode> summary,
        List<ProviderId> affected) implements Notification {

    /** Checks for {@code null} and copies the collections. */
    public AnnouncementNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        summary = Summary.copy(summary);
        affected = List.copyOf(affected);
    }

    @Override
    public NotificationType type() {
        return NotificationType.ANNOUNCEMENT;
    }
}
