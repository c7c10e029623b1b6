package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.spi.NodeId;

/**
 * After a takeover, finds the members that failed while no coordinator could see it: those on gateways
 * that are down, and those their own (promising) gateway no longer accounts for.
 */
final class ClaimCheck {

    private ClaimCheck() {
    }

    static void apply(GroupCoordinator g, Map<NodeId, Set<ProviderId>> claimed, Set<NodeId> promised,
            Predicate<NodeId> isUp) {
        Set<NodeId> down = new TreeSet<>();
        List<ProviderId> unclaimed = new ArrayList<>();
        for (MemberRec m : g.view.members()) {
            NodeId n = m.nodeId();
            if (!isUp.test(n)) {
                down.add(n);
            } else if (promised.contains(n) && !claimed.getOrDefault(n, Set.of()).contains(m.id())
                    && !g.queue.isQueuedFailure(m.id())) {
                unclaimed.add(m.id());
            }
        }
        down.forEach(g::nodeDown);
        if (!unclaimed.isEmpty()) {
            g.providersFailed(unclaimed, LeaveReason.PROVIDER_FAILED, Set.of());
        }
    }
}
