package org.edgeha.gs.api;

import java.util.List;
import java.util.Objects;

/**
 * Two partitions of a group met again after a broker split (GSAPI merge callback). Reserved: this
 * version runs on one broker, where a group cannot split, and never sends it.
 *
 * @param token the provider this is for
 * @param group the group
 * @param mergeControl the group's merge control
 * @param otherPartition the providers of the other partition
 */
public record MergeNotification(ProviderToken token, String group, MergeControl mergeControl,
        List<ProviderId> otherPartition) implements Notification {

    /** Checks for {@code null} and copies the list. */
    public MergeNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(mergeControl, "mergeControl");
        otherPartition = List.copyOf(otherPartition);
    }

    @Override
    public NotificationType type() {
        return NotificationType.MERGE;
    }
}
