package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.wire.CatchUp;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.Generation;
import org.edgeha.gs.engine.wire.GroupReport;
import org.edgeha.gs.engine.wire.InflightRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.spi.NodeId;

/**
 * What a new coordinator learns from the promises of every live gateway, per group: the newest
 * committed view (which it adopts, since every commit applied anywhere was applied before that
 * gateway promised), who lags and must be brought up to it, and whether a protocol was left half-run
 * (which it rejects, so that every member closes it).
 */
final class TakeoverPlan {

    /** The plan for one group. */
    static final class GroupPlan {
        final String group;
        NodeId best;
        ViewRec bestView;
        InflightRec inflight;
        final Map<NodeId, Long> seqs = new TreeMap<>();
        final Set<NodeId> subscribed = new TreeSet<>();
        final Map<NodeId, Set<ProviderId>> claimed = new TreeMap<>();
        /** Gateways holding an older life of the group, with what they reported. */
        final Map<NodeId, GroupReport> stale = new TreeMap<>();
        private final Map<NodeId, GroupReport> reports = new TreeMap<>();
        /** The newest gateway's log: protocols ending at {@link #bestView}, contiguous, maybe empty. */
        List<CommitRec> fetched = List.of();

        GroupPlan(String group) {
            this.group = group;
        }

        /** @return the first sequence number to ask the newest gateway for, or -1 if it has none */
        long fetchFrom(int logSize) {
            return bestView.seq() >= 1 ? Math.max(1, bestView.seq() - logSize + 1) : -1;
        }

        CommitRec abortRecord() {
            if (inflight == null) {
                return null;
            }
            ViewRec v = bestView;
            return new CommitRec(v.seq() + 1, inflight.spec(), false, EnumSet.of(SummaryCode.COORDINATOR_LOST),
                    inflight.phase(), v.next(v.members(), v.state(), v.attrs()), null, Map.of());
        }

        ViewRec finalView() {
            CommitRec abort = abortRecord();
            return abort == null ? bestView : abort.result();
        }

        /** @return the protocols the coordinator keeps in its own log */
        List<CommitRec> log() {
            List<CommitRec> log = new ArrayList<>(fetched);
            CommitRec abort = abortRecord();
            if (abort != null) {
                log.add(abort);
            }
            return log;
        }

        /** @return whether gateway {@code n} lags further back than any log reaches */
        boolean needsReset(NodeId n) {
            long seq = seqs.get(n);
            return seq < bestView.seq() && (fetched.isEmpty() || fetched.get(0).seq() > seq + 1);
        }

        /** @return how gateway {@code n} gets from its own view to the final one */
        CatchUp catchUpFor(NodeId n) {
            GroupReport old = stale.get(n);
            if (old != null) {
                return endOfLife(old);
            }
            long seq = seqs.get(n);
            if (needsReset(n)) {
                return new CatchUp(group, finalView(), List.of());
            }
            List<CommitRec> entries = new ArrayList<>();
            fetched.stream().filter(c -> c.seq() > seq).forEach(entries::add);
            CommitRec abort = abortRecord();
            if (abort != null) {
                entries.add(abort);
            }
            return new CatchUp(group, null, entries);
        }
    }

    final Map<String, GroupPlan> groups = new TreeMap<>();

    /**
     * For a gateway with providers in the group but no view of it (it missed the one-phase join that
     * admitted them): the protocols from that join on, if the log has it.
     */
    static CatchUp sinceJoin(String group, NodeId n, List<CommitRec> log) {
        for (int i = 0; i < log.size(); i++) {
            CommitRec c = log.get(i);
            if (c.approved() && c.spec().joiners().stream().anyMatch(j -> j.nodeId().equals(n))) {
                return new CatchUp(group, null, log.subList(i, log.size()));
            }
        }
        return null;
    }

    /**
     * For a gateway that holds an older life of the group than the one adopted: close the protocol it
     * saw start in that life (if any), then end that life there.
     */
    static CatchUp endOfLife(GroupReport old) {
        InflightRec f = old.inflight();
        ViewRec v = old.view();
        List<CommitRec> close = f != null && f.seq() == v.seq() + 1
                ? List.of(new CommitRec(f.seq(), f.spec(), false, EnumSet.of(SummaryCode.COORDINATOR_LOST),
                        f.phase(), v.next(v.members(), v.state(), v.attrs()), null, Map.of()))
                : List.of();
        return new CatchUp(old.group(), null, close, true);
    }

    static TakeoverPlan of(Map<NodeId, Msg.Promise> promises) {
        TakeoverPlan plan = new TakeoverPlan();
        for (Map.Entry<NodeId, Msg.Promise> e : promises.entrySet()) {
            for (GroupReport r : e.getValue().groups()) {
                plan.groups.computeIfAbsent(r.group(), GroupPlan::new).reports.put(e.getKey(), r);
            }
        }
        plan.groups.values().forEach(TakeoverPlan::decide);
        plan.groups.values().removeIf(gp -> gp.bestView == null);
        return plan;
    }

    /** The newest life of the group wins; in it, the highest view; a protocol it saw start is closed. */
    private static void decide(GroupPlan gp) {
        Generation newest = null;
        for (GroupReport r : gp.reports.values()) {
            if (r.view() != null && Generation.compare(r.view().generation(), newest) > 0) {
                newest = r.view().generation();
            }
        }
        for (Map.Entry<NodeId, GroupReport> e : gp.reports.entrySet()) {
            NodeId node = e.getKey();
            GroupReport r = e.getValue();
            gp.claimed.put(node, new TreeSet<>(r.claimed()));
            if (r.view() != null && !java.util.Objects.equals(r.view().generation(), newest)) {
                gp.stale.put(node, r);
                continue;
            }
            if (r.subscribed()) {
                gp.subscribed.add(node);
            }
            if (r.view() != null) {
                gp.seqs.put(node, r.view().seq());
                if (gp.bestView == null || r.view().seq() > gp.bestView.seq()) {
                    gp.best = node;
                    gp.bestView = r.view();
                }
            }
            if (r.inflight() != null && (gp.inflight == null || r.inflight().seq() > gp.inflight.seq())) {
                gp.inflight = r.inflight();
            }
        }
        if (gp.bestView != null && gp.inflight != null && gp.inflight.seq() != gp.bestView.seq() + 1) {
            gp.inflight = null; // started before a commit some gateway already has: it ended
        }
    }
}
