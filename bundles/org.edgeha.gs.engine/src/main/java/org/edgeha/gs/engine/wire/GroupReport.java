package org.edgeha.gs.engine.wire;

import java.util.List;
import java.util.Objects;

import org.edgeha.gs.api.ProviderId;

/**
 * What a gateway knows of one group, in its promise to a new coordinator.
 *
 * @param group the group
 * @param view its last committed view, {@code null} if it has none
 * @param inflight the protocol it saw start but not finish, or {@code null}
 * @param subscribed whether it has local subscribers
 * @param claimed the local providers of this group it still accounts for (joining, member, or leaving
 *     through a request of its own); members of this gateway not listed have failed
 */
public record GroupReport(String group, ViewRec view, InflightRec inflight, boolean subscribed,
        List<ProviderId> claimed) {

    public GroupReport {
        Objects.requireNonNull(group, "group");
        claimed = List.copyOf(claimed);
    }
}
