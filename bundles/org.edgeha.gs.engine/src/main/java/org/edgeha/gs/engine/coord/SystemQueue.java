package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.BatchControl;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.RequestId;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.spi.NodeId;

/**
 * The membership changes the system queues for a group: joins, and failure events (one gateway's
 * failure, or one provider's goodbye, quit or failure). They run before any later proposal; failures
 * first, then joins, each batched per the group's batch control.
 */
final class SystemQueue {

    /** A queued join request. */
    record JoinEntry(ProtoSpec spec, NodeId from) {
        MemberRec joiner() {
            return spec.joiners().get(0);
        }
    }

    /** Providers that failed together, and the goodbye requests waiting for their removal. */
    static final class FailureEvent {
        final Map<ProviderId, LeaveInfo> leaves = new TreeMap<>();
        final Set<RequestId> requests = new LinkedHashSet<>();
        final Set<NodeId> nodes = new TreeSet<>();
    }

    final List<JoinEntry> joins = new ArrayList<>();
    final List<FailureEvent> failures = new ArrayList<>();

    boolean isEmpty() {
        return joins.isEmpty() && failures.isEmpty();
    }

    /** Queues a failure event; a provider already queued keeps its first reason, and gains the request. */
    void addFailure(List<LeaveInfo> leaves, RequestId request, Set<NodeId> failedNodes) {
        FailureEvent ev = new FailureEvent();
        for (LeaveInfo l : leaves) {
            FailureEvent existing = eventOf(l.provider());
            if (existing != null) {
                if (request != null) {
                    existing.requests.add(request);
                }
            } else {
                ev.leaves.put(l.provider(), l);
            }
        }
        if (!ev.leaves.isEmpty()) {
            if (request != null) {
                ev.requests.add(request);
            }
            ev.nodes.addAll(failedNodes);
            failures.add(ev);
        }
    }

    boolean isQueuedFailure(ProviderId p) {
        return eventOf(p) != null;
    }

    private FailureEvent eventOf(ProviderId p) {
        for (FailureEvent e : failures) {
            if (e.leaves.containsKey(p)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Drops queued failures of providers that are no longer members.
     *
     * @return requests left with nothing to wait for (their providers are already gone)
     */
    List<RequestId> prune(ViewRec view) {
        List<RequestId> orphans = new ArrayList<>();
        for (Iterator<FailureEvent> it = failures.iterator(); it.hasNext();) {
            FailureEvent e = it.next();
            e.leaves.keySet().removeIf(p -> !view.contains(p));
            if (e.leaves.isEmpty()) {
                orphans.addAll(e.requests);
                it.remove();
            }
        }
        return orphans;
    }

    /** @return the failure events the next failure-leave removes: all of them, or the first */
    List<FailureEvent> nextFailures(BatchControl batch) {
        return batch.batchesLeaves() ? List.copyOf(failures) : List.of(failures.get(0));
    }

    /** @return the joins the next join protocol admits: all of them, or the first */
    List<JoinEntry> nextJoins(BatchControl batch) {
        return batch.batchesJoins() ? List.copyOf(joins) : List.of(joins.get(0));
    }

    JoinEntry queuedJoin(ProviderId id) {
        return joins.stream().filter(j -> j.joiner().id().equals(id)).findFirst().orElse(null);
    }

    void dropJoinsFrom(NodeId node) {
        joins.removeIf(j -> j.from().equals(node));
    }
}
