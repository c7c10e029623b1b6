package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.engine.core.CommitLog;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.Net;
import org.edgeha.gs.engine.wire.CatchUp;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.Epoch;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.spi.NodeId;

/**
 * One takeover attempt, from the prepares to the epoch start: collect a promise from every live
 * gateway, plan each group ({@link TakeoverPlan}), fetch the newest gateway's log, then hand the
 * groups and every gateway's catch-up to the {@link Coordinator}.
 */
final class Takeover {

    /** What a finished takeover yields. */
    record Result(Map<String, GroupCoordinator> groups, Map<NodeId, List<CatchUp>> catchUps,
            Map<String, Map<NodeId, Set<org.edgeha.gs.api.ProviderId>>> claims, Set<NodeId> promised,
            Map<NodeId, Msg.Promise> latePromises) {
    }

    private final Coordinator owner;
    private final Net net;
    private final EngineConfig config;
    private final EngineLog log;
    private final Epoch epoch;
    private final Map<NodeId, Msg.Promise> promises = new TreeMap<>();
    private final Set<NodeId> expected = new TreeSet<>();
    private final Map<NodeId, Msg.Promise> late = new TreeMap<>();
    private final Set<String> awaitingLogs = new TreeSet<>();
    private TakeoverPlan plan;

    Takeover(Coordinator owner, Net net, EngineConfig config, EngineLog log, Epoch epoch) {
        this.owner = owner;
        this.net = net;
        this.config = config;
        this.log = log;
        this.epoch = epoch;
    }

    void begin() {
        net.up().forEach(this::prepare);
    }

    void prepare(NodeId n) {
        expected.add(n);
        net.send(n, new Msg.Prepare(epoch));
    }

    /** @return false if the gateway with the newest view of some group went down: start over */
    boolean nodeDown(NodeId d) {
        expected.remove(d);
        promises.remove(d);
        late.remove(d);
        return plan == null || plan.groups.values().stream().noneMatch(gp -> gp.best.equals(d));
    }

    void nodesUp(Set<NodeId> ups) {
        ups.forEach(this::prepare);
        maybePlan();
    }

    void promise(NodeId from, Msg.Promise p) {
        if (plan == null) {
            promises.put(from, p);
            maybePlan();
        } else {
            late.put(from, p); // came after the plan: brought in once the epoch started
        }
    }

    private void maybePlan() {
        if (plan != null || !promises.keySet().containsAll(expected)) {
            return;
        }
        plan = TakeoverPlan.of(promises);
        for (TakeoverPlan.GroupPlan gp : plan.groups.values()) {
            long from = gp.fetchFrom(config.commitLogSize());
            if (from > 0) {
                awaitingLogs.add(gp.group);
                net.send(gp.best, new Msg.FetchLog(epoch, gp.group, from));
            }
        }
        maybeFinish();
    }

    void logReply(Msg.LogReply r) {
        if (plan == null || !awaitingLogs.remove(r.group())) {
            return;
        }
        TakeoverPlan.GroupPlan gp = plan.groups.get(r.group());
        List<CommitRec> entries = r.entries();
        boolean chained = !entries.isEmpty() && entries.get(entries.size() - 1).seq() == gp.bestView.seq();
        for (int i = 1; chained && i < entries.size(); i++) {
            chained = entries.get(i).seq() == entries.get(i - 1).seq() + 1;
        }
        gp.fetched = chained ? entries : List.of();
        maybeFinish();
    }

    private void maybeFinish() {
        if (!awaitingLogs.isEmpty()) {
            return;
        }
        Map<NodeId, List<CatchUp>> catchUps = new TreeMap<>();
        promises.keySet().forEach(n -> catchUps.put(n, new ArrayList<>()));
        Map<String, GroupCoordinator> groups = new TreeMap<>();
        Map<String, Map<NodeId, Set<org.edgeha.gs.api.ProviderId>>> claims = new TreeMap<>();
        for (TakeoverPlan.GroupPlan gp : plan.groups.values()) {
            log.debug(() -> "takeover plan for " + gp.group + ": newest " + gp.best + " at " + gp.bestView.seq()
                    + ", views " + gp.seqs + ", in flight " + (gp.inflight == null ? "none" : gp.inflight.seq())
                    + ", log " + (gp.fetched.isEmpty() ? "none" : gp.fetched.get(0).seq() + ".."
                    + gp.fetched.get(gp.fetched.size() - 1).seq()));
            gp.seqs.keySet().stream().filter(catchUps::containsKey).forEach(n -> catchUps.get(n).add(gp.catchUpFor(n)));
            gp.stale.keySet().stream().filter(catchUps::containsKey).forEach(n -> catchUps.get(n).add(gp.catchUpFor(n)));
            for (NodeId n : gp.claimed.keySet()) {
                if (catchUps.containsKey(n) && !gp.seqs.containsKey(n) && !gp.stale.containsKey(n)) {
                    CatchUp joined = TakeoverPlan.sinceJoin(gp.group, n, gp.log());
                    if (joined != null) {
                        catchUps.get(n).add(joined);
                    }
                }
            }
            if (!gp.finalView().members().isEmpty()) {
                CommitLog l = new CommitLog(config.commitLogSize());
                gp.log().forEach(l::append);
                Set<NodeId> subs = new TreeSet<>(gp.subscribed);
                subs.removeIf(n -> !owner.isUp(n));
                groups.put(gp.group, new GroupCoordinator(owner, gp.finalView(), l, subs));
                claims.put(gp.group, gp.claimed);
            }
        }
        owner.takeoverDone(new Result(groups, catchUps, claims, new TreeSet<>(promises.keySet()), late));
    }
}
