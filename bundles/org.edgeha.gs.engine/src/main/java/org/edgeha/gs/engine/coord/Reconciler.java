package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.edgeha.gs.engine.core.CommitLog;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.wire.CatchUp;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.GroupReport;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.spi.NodeId;

/**
 * Brings a gateway into an epoch that has already started (it came up, or its promise came late):
 * catches up its groups from the coordinator's logs, adopts groups the coordinator did not know,
 * closes protocols it saw start under an older coordinator, and fails members it no longer claims.
 */
final class Reconciler {

    private final Coordinator owner;
    private final EngineConfig config;
    private final EngineStats stats;
    private final EngineLog log;

    Reconciler(Coordinator owner, EngineConfig config, EngineStats stats, EngineLog log) {
        this.owner = owner;
        this.config = config;
        this.stats = stats;
        this.log = log;
    }

    /**
     * @param afterStart collects the claim checks, to run once the gateway's epoch start is sent (they
     *     may start protocols, whose messages must not overtake it)
     * @return the catch-ups for the gateway's epoch start
     */
    List<CatchUp> reconcile(NodeId from, Msg.Promise p, Map<String, GroupCoordinator> groups, List<Runnable> afterStart) {
        List<CatchUp> catchUps = new ArrayList<>();
        for (GroupReport r : p.groups()) {
            GroupCoordinator g = groups.get(r.group());
            if (g == null) {
                g = adopt(from, r, catchUps);
                if (g == null) {
                    continue;
                }
                groups.put(r.group(), g);
            } else {
                if (r.subscribed()) {
                    g.subscribers.add(from);
                }
                CatchUp cu = catchUp(from, r, g);
                if (cu != null) {
                    catchUps.add(cu);
                }
            }
            GroupCoordinator group = g;
            afterStart.add(() -> ClaimCheck.apply(group, Map.of(from, new TreeSet<>(r.claimed())), Set.of(from), owner::isUp));
        }
        return catchUps;
    }

    /** A group the coordinator did not know: take the late gateway's view (closing what it saw start). */
    private GroupCoordinator adopt(NodeId from, GroupReport r, List<CatchUp> catchUps) {
        if (r.view() == null) {
            return null;
        }
        TakeoverPlan.GroupPlan gp = TakeoverPlan.of(Map.of(from, new Msg.Promise(owner.epoch(), List.of(r))))
                .groups.get(r.group());
        catchUps.add(gp.catchUpFor(from));
        if (gp.finalView().members().isEmpty()) {
            return null;
        }
        log.debug(() -> "adopting group " + r.group() + " at " + r.view().seq() + " from late gateway " + from);
        CommitLog l = new CommitLog(config.commitLogSize());
        gp.log().forEach(l::append);
        return new GroupCoordinator(owner, gp.finalView(), l, r.subscribed() ? Set.of(from) : Set.of());
    }

    private CatchUp catchUp(NodeId from, GroupReport r, GroupCoordinator g) {
        if (r.view() == null) {
            return r.claimed().isEmpty() ? null : TakeoverPlan.sinceJoin(g.name, from, g.log.all());
        }
        if (!java.util.Objects.equals(r.view().generation(), g.view.generation())) {
            // Another life of the group (it was cut off while this one began): that life ends there.
            log.debug(() -> "group " + g.name + ": a late gateway holds another life of it; ended there");
            return TakeoverPlan.endOfLife(r);
        }
        long seq = r.view().seq();
        if (seq > g.view.seq()) {
            stats.divergences.incrementAndGet();
            log.warn("Group Services: a gateway is ahead of the coordinator in group " + g.name + " (" + seq + " > "
                    + g.view.seq() + "); it starts again from the coordinator's view");
            return new CatchUp(g.name, g.view, List.of());
        }
        if (seq < g.view.seq()) {
            List<CommitRec> entries = g.log.from(seq + 1);
            if (entries == null) {
                stats.resyncs.incrementAndGet();
                log.debug(() -> "group " + g.name + ": a late gateway at " + seq + " lags beyond the log");
                return new CatchUp(g.name, g.view, List.of());
            }
            return new CatchUp(g.name, null, entries);
        }
        boolean ours = g.running != null && r.inflight() != null && g.running.seq == r.inflight().seq()
                && g.running.spec.equals(r.inflight().spec());
        if (r.inflight() == null || r.inflight().seq() != seq + 1 || ours) {
            return null;
        }
        // It saw a protocol start that no coordinator of this epoch knows (it was cut off with an older
        // one): reject that for everybody; if a protocol of that number already runs here, the late
        // gateway starts again from the view instead.
        if (g.running == null && g.queue.isEmpty()) {
            return new CatchUp(g.name, null, List.of(g.rejectForeign(r.inflight(), from)));
        }
        stats.resyncs.incrementAndGet();
        return new CatchUp(g.name, g.view, List.of());
    }
}
