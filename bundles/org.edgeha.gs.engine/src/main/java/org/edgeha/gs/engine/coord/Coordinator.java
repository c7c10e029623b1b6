package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.engine.core.CommitLog;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.Net;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.engine.wire.CatchUp;
import org.edgeha.gs.engine.wire.Epoch;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.spi.NodeId;

/**
 * The coordinator role of one gateway. The lowest-numbered live gateway of the domain coordinates
 * every group (like RSCT's nameserver); it becomes coordinator by a takeover: it prepares a new epoch
 * with every live gateway, adopts the newest view of each group from their promises, fetches the
 * protocols laggers missed, rejects a protocol left half-run, and only then starts its epoch. Each
 * group is then serialised by its own {@link GroupCoordinator}.
 */
public final class Coordinator implements GroupContext {

    private enum Mode { IDLE, TAKING_OVER, ACTIVE }

    private final Net net;
    private final EngineConfig config;
    private final EngineStats stats;
    private final EngineLog log;
    private final Map<String, GroupCoordinator> groups = new TreeMap<>();
    private final Set<NodeId> heard = new TreeSet<>();
    private final Reconciler reconciler;
    private Mode mode = Mode.IDLE;
    private Epoch epoch;
    private long highestCounter;
    private Takeover takeover;
    private long created;

    public Coordinator(Net net, EngineConfig config, EngineStats stats, EngineLog log) {
        this.net = net;
        this.config = config;
        this.stats = stats;
        this.log = log;
        this.reconciler = new Reconciler(this, config, stats, log);
    }

    // ---- presence and epochs ----

    private boolean lowest() {
        NodeId self = net.self();
        return self != null && net.up().stream().allMatch(n -> n.node() >= self.node());
    }

    /** The presence view changed: take over, follow the change, or step down. */
    public void presence(Set<NodeId> downs, Set<NodeId> ups) {
        if (!lowest()) {
            stepDown();
            return;
        }
        switch (mode) {
            case IDLE -> startTakeover();
            case TAKING_OVER -> {
                boolean keep = true;
                for (NodeId d : downs) {
                    keep &= takeover.nodeDown(d);
                }
                if (keep) {
                    takeover.nodesUp(ups);
                } else {
                    startTakeover(); // the gateway with the newest view of a group is gone: ask everyone again
                }
            }
            case ACTIVE -> {
                for (NodeId d : downs) {
                    List.copyOf(groups.values()).forEach(g -> g.nodeDown(d));
                }
                ups.forEach(this::prepare);
            }
        }
    }

    /** A gateway superseded by a newer incarnation, reported by the link layer before presence says so. */
    public void superseded(NodeId old) {
        if (mode == Mode.ACTIVE) {
            List.copyOf(groups.values()).forEach(g -> g.nodeDown(old));
        }
    }

    /**
     * This gateway's member role got a prepare for {@code e} from another gateway.
     *
     * @return {@code true} to refuse it: this gateway is the lowest it can see and will take over
     *     itself, with a higher epoch
     */
    public boolean challenges(Epoch e) {
        highestCounter = Math.max(highestCounter, e.counter());
        NodeId self = net.self();
        if (lowest() && e.coordinator().node() > self.node()) {
            if (mode == Mode.IDLE || epoch == null || !epoch.isAfter(e)) {
                startTakeover();
            }
            return true;
        }
        return false;
    }

    /** This gateway's member role promised {@code e}: a coordinator of a lower epoch steps down. */
    public void promised(Epoch e) {
        highestCounter = Math.max(highestCounter, e.counter());
        if (mode != Mode.IDLE && e.isAfter(epoch)) {
            stepDown();
        }
    }

    /** This gateway took a new identity: everything it coordinated is gone. */
    public void reset() {
        stepDown();
        epoch = null;
    }

    private void startTakeover() {
        stepDown();
        highestCounter = Math.max(highestCounter, epoch == null ? 0 : epoch.counter()) + 1;
        epoch = new Epoch(highestCounter, net.self());
        mode = Mode.TAKING_OVER;
        log.info("Group Services: taking over as coordinator, epoch " + epoch);
        takeover = new Takeover(this, net, config, log, epoch);
        takeover.begin();
    }

    private void stepDown() {
        if (mode != Mode.IDLE) {
            log.info("Group Services: no longer coordinator (epoch " + epoch + ")");
        }
        groups.values().forEach(GroupCoordinator::stop);
        groups.clear();
        heard.clear();
        takeover = null;
        mode = Mode.IDLE;
    }

    /** The takeover finished: the epoch starts. */
    void takeoverDone(Takeover.Result r) {
        takeover = null;
        groups.putAll(r.groups());
        mode = Mode.ACTIVE;
        stats.takeovers.incrementAndGet();
        log.info("Group Services: coordinator for epoch " + epoch + ", " + groups.size() + " group(s)");
        r.catchUps().forEach((n, list) -> net.send(n, new Msg.EpochStart(epoch, list)));
        log.debug(() -> "epoch " + epoch + " groups " + groups.keySet() + " promised by " + r.promised());
        for (GroupCoordinator g : List.copyOf(groups.values())) {
            ClaimCheck.apply(g, r.claims().get(g.name), r.promised(), this::isUp);
        }
        r.latePromises().forEach(this::reconcile);
        List.copyOf(groups.values()).forEach(GroupCoordinator::maybeStart);
    }

    // ---- messages ----

    public void receive(NodeId from, Msg m) {
        if (m instanceof Msg.Stray s) {
            onStray(from, s.epoch());
            return;
        }
        if (epoch == null || !m.epoch().equals(epoch)) {
            stats.fenced.incrementAndGet();
            return;
        }
        heard.add(from);
        if (m instanceof Msg.Promise p) {
            if (mode == Mode.TAKING_OVER) {
                takeover.promise(from, p);
            } else if (mode == Mode.ACTIVE) {
                reconcile(from, p);
            }
        } else if (m instanceof Msg.PrepareNack n) {
            onNack(n);
        } else if (m instanceof Msg.LogReply r) {
            if (mode == Mode.TAKING_OVER) {
                takeover.logReply(r);
            }
        } else if (mode == Mode.ACTIVE) {
            route(from, m);
        }
    }

    /** A gateway has no established coordinator: prepare it (again), or take over above its epoch. */
    private void onStray(NodeId from, Epoch promisedThere) {
        if (!lowest()) {
            return;
        }
        if (mode == Mode.IDLE || promisedThere.isAfter(epoch)) {
            highestCounter = Math.max(highestCounter, promisedThere.counter());
            startTakeover();
        } else if (!promisedThere.equals(epoch)) {
            prepare(from); // its prepare was lost (or it was not in the view): ask again
        } // else: it promised this epoch; its epoch start is on its way
    }

    private void prepare(NodeId n) {
        if (mode == Mode.TAKING_OVER) {
            takeover.prepare(n);
        } else {
            net.send(n, new Msg.Prepare(epoch));
        }
    }

    private void onNack(Msg.PrepareNack n) {
        if (mode != Mode.IDLE) {
            highestCounter = Math.max(highestCounter, n.promised().counter());
            if (lowest() && n.promised().coordinator().node() >= net.self().node()) {
                startTakeover();
            } else {
                stepDown();
            }
        }
    }

    /** A gateway promised after the epoch started (it came up, or was seen late): bring it in. */
    private void reconcile(NodeId from, Msg.Promise p) {
        List<Runnable> afterStart = new ArrayList<>();
        List<CatchUp> catchUps = reconciler.reconcile(from, p, groups, afterStart);
        net.send(from, new Msg.EpochStart(epoch, catchUps));
        afterStart.forEach(Runnable::run);
        List.copyOf(groups.values()).forEach(GroupCoordinator::maybeStart);
    }

    private void route(NodeId from, Msg m) {
        if (m instanceof Msg.Propose p) {
            GroupCoordinator g = groups.get(p.group());
            if (g == null && p.spec().type() == ProtocolType.JOIN) {
                g = new GroupCoordinator(this, ViewRec.empty(p.group(),
                        p.spec().newAttrs() == null ? GroupAttributes.DEFAULT : p.spec().newAttrs()),
                        new CommitLog(config.commitLogSize()), Set.of());
                groups.put(p.group(), g);
            }
            if (g == null) {
                p.spec().requests().forEach(r -> net.send(from, new Msg.RequestDone(epoch, p.group(), r,
                        ReturnCode.NOT_A_MEMBER)));
            } else {
                g.onPropose(from, p.spec());
                dropIfEmpty(g);
            }
        } else if (m instanceof Msg.Failed f) {
            GroupCoordinator g = groups.get(f.group());
            if (g != null) {
                g.onFailed(from, f.leaves(), f.request());
                dropIfEmpty(g);
            } else if (f.request() != null) {
                net.send(from, new Msg.RequestDone(epoch, f.group(), f.request(), ReturnCode.OK));
            }
        } else if (m instanceof Msg.Subscribe s) {
            GroupCoordinator g = groups.get(s.group());
            if (g != null) {
                g.onSubscribe(from, s.request());
            } else {
                net.send(from, new Msg.RequestDone(epoch, s.group(), s.request(), ReturnCode.UNKNOWN_GROUP));
            }
        } else if (m instanceof Msg.Unsubscribe u) {
            GroupCoordinator g = groups.get(u.group());
            if (g != null) {
                g.onUnsubscribe(from);
            }
        } else if (m instanceof Msg.AnnounceRequest a) {
            GroupCoordinator g = groups.get(a.group());
            if (g != null) {
                g.onAnnounceRequest(from, a.summary(), a.affected());
            }
        } else if (m instanceof Msg.Votes v) {
            GroupCoordinator g = groups.get(v.group());
            if (g != null) {
                g.onVotes(from, v);
            }
        }
    }

    private void dropIfEmpty(GroupCoordinator g) {
        if (!g.exists() && g.running == null && g.queue.isEmpty() && groups.get(g.name) == g) {
            groups.remove(g.name);
        }
    }

    // ---- GroupContext ----

    @Override
    public Epoch epoch() {
        return epoch;
    }

    @Override
    public void send(NodeId to, Msg m) {
        net.send(to, m);
    }

    @Override
    public Scheduler scheduler() {
        return net.scheduler();
    }

    /**
     * Up: in the presence view, or heard from in this epoch and not reported down. Presence may lag
     * behind messages; a gateway that just spoke is alive.
     */
    @Override
    public boolean isUp(NodeId n) {
        return net.up().contains(n) || heard.contains(n) && !net.isDead(n);
    }

    @Override
    public GroupCoordinator group(String name) {
        return groups.get(name);
    }

    @Override
    public void committed(GroupCoordinator g, boolean dissolved) {
        if (dissolved && groups.get(g.name) == g) {
            groups.remove(g.name);
        }
        List<GroupCoordinator> targets = new ArrayList<>(); // in name order: deterministic
        for (GroupCoordinator t : groups.values()) {
            if (t != g && t.view.attrs().sourceGroup().equals(g.name)) {
                targets.add(t);
            }
        }
        targets.forEach(GroupCoordinator::maybeStart);
    }

    @Override
    public EngineLog log() {
        return log;
    }

    @Override
    public int maxProvidersPerGroup() {
        return config.maxProvidersPerGroup();
    }

    @Override
    public org.edgeha.gs.engine.wire.Generation newGeneration() {
        return new org.edgeha.gs.engine.wire.Generation(epoch, ++created);
    }
}
