package org.edgeha.gs.engine.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.wire.Epoch;
import org.edgeha.gs.engine.wire.GroupReport;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.spi.NodeId;

/**
 * The member role of one gateway: which coordinator it follows (the highest epoch it promised, once
 * that epoch has started here), fencing of everything from other epochs, its promise reports, and the
 * resubmission of outstanding requests after each takeover.
 */
final class MemberRole {

    private final NodeContext ctx;
    private Epoch promised;
    private boolean established;
    private Epoch nackedEpoch;
    private final java.util.Set<String> unsubscribedWhileAway = new java.util.TreeSet<>();
    private final List<Function<Epoch, Msg>> heldAnnouncements = new ArrayList<>();

    MemberRole(NodeContext ctx) {
        this.ctx = ctx;
    }

    boolean established() {
        return established;
    }

    /** No local subscriber of {@code group} is left: tell the coordinator, now or once one is established. */
    void unsubscribe(String group) {
        if (established) {
            send(e -> new Msg.Unsubscribe(e, group));
        } else {
            unsubscribedWhileAway.add(group);
        }
    }

    /** @return the node number of the coordinator this gateway follows, 0 if none is established */
    int coordinatorNode() {
        return established ? promised.coordinator().node() : 0;
    }

    void receive(NodeId from, Msg m) {
        if (m instanceof Msg.Prepare p) {
            onPrepare(from, p.epoch());
            return;
        }
        if (m instanceof Msg.FetchLog f && f.epoch().equals(promised) && from.equals(promised.coordinator())) {
            ctx.applier.fetchLog(from, f);
            return;
        }
        if (promised == null || !m.epoch().equals(promised) || !from.equals(promised.coordinator())) {
            ctx.stats.fenced.incrementAndGet();
            ctx.log.debug(() -> "fenced " + m.getClass().getSimpleName() + " of epoch " + m.epoch() + " from " + from
                    + " (promised " + promised + ")");
            if (promised != null && promised.isAfter(m.epoch()) && from.equals(m.epoch().coordinator())
                    && !m.epoch().equals(nackedEpoch)) {
                // A coordinator of a lower epoch still talks to us: tell it once what we promised, so that
                // if the higher epoch was abandoned it takes over again above it.
                nackedEpoch = m.epoch();
                ctx.net.send(from, new Msg.PrepareNack(m.epoch(), promised));
            }
            return;
        }
        if (m instanceof Msg.EpochStart s) {
            onEpochStart(s);
        } else if (m instanceof Msg.FetchLog) {
            return; // handled above
        } else if (!established) {
            ctx.stats.fenced.incrementAndGet();
        } else if (m instanceof Msg.Phase ph) {
            ctx.applier.phase(ph);
        } else if (m instanceof Msg.Commit c) {
            ctx.applier.commit(c.group(), c.entry());
        } else if (m instanceof Msg.Announce a) {
            ctx.applier.announce(a);
        } else if (m instanceof Msg.LogSeed l) {
            Replica r = ctx.replicas.get(l.group());
            if (r != null) {
                r.log.seed(l.entries());
            }
        } else if (m instanceof Msg.Snapshot s) {
            ctx.applier.snapshot(s);
        } else if (m instanceof Msg.RequestDone d) {
            ctx.applier.done(d);
        }
    }

    private void onPrepare(NodeId from, Epoch e) {
        if (!from.equals(e.coordinator())) {
            return;
        }
        if (e.equals(promised)) {
            ctx.net.send(from, new Msg.Promise(e, reports())); // asked again (a late reconciliation)
            return;
        }
        boolean own = e.coordinator().equals(ctx.net.self());
        if (e.isAfter(promised) && (own || !ctx.coordinator.challenges(e))) {
            ctx.log.debug(() -> "promising epoch " + e + " with " + ctx.replicas.keySet());
            promised = e;
            established = false;
            if (!own) {
                ctx.coordinator.promised(e);
            }
            ctx.net.send(from, new Msg.Promise(e, reports()));
        } else {
            ctx.net.send(from, new Msg.PrepareNack(e, promised != null && promised.isAfter(e) ? promised : e));
        }
    }

    /**
     * Liveness watchdog: while no coordinator is established here, tell the lowest live gateway now and
     * then (its prepare may have been lost, or the epoch promised here was abandoned by its candidate).
     */
    void watch() {
        ctx.scheduler.schedule(2 * ctx.config.probeMillis(), () -> {
            NodeId self = ctx.net.self();
            if (!established && self != null) {
                NodeId lowest = ctx.net.up().stream().min(java.util.Comparator.comparingInt(NodeId::node)).orElse(self);
                Epoch mine = promised != null ? promised : new Epoch(0, self);
                ctx.net.send(lowest, new Msg.Stray(mine));
            }
            watch();
        });
    }

    private void onEpochStart(Msg.EpochStart s) {
        ctx.log.debug(() -> "epoch " + s.epoch() + " started here, catching up " + s.catchUps().size() + " group(s)");
        s.catchUps().forEach(ctx.applier::catchUp);
        if (!established) {
            established = true;
            for (Requests.Pending p : ctx.requests.all()) {
                send(p.message());
            }
            heldAnnouncements.forEach(this::send);
            heldAnnouncements.clear();
            for (String g : List.copyOf(unsubscribedWhileAway)) {
                if (ctx.locals.subscribers(g).isEmpty()) {
                    send(e -> new Msg.Unsubscribe(e, g));
                }
            }
            unsubscribedWhileAway.clear();
            List.copyOf(ctx.replicas.keySet()).forEach(ctx.applier::dropIfUnneeded); // kept while away
        }
    }

    private List<GroupReport> reports() {
        Set<String> groups = new TreeSet<>(ctx.replicas.keySet());
        groups.addAll(ctx.locals.groups());
        NodeId self = ctx.net.self();
        List<GroupReport> reports = new ArrayList<>();
        for (String g : groups) {
            Replica r = ctx.replicas.get(g);
            List<ProviderId> claimed = ctx.locals.providers(g).stream()
                    .filter(p -> p.isClaimed() && p.incarnation == self.incarnation()).map(p -> p.id).toList();
            boolean subscribed = ctx.locals.subscribers(g).stream()
                    .anyMatch(s -> s.status == LocalSubscriber.Status.ACTIVE);
            if (r != null || !claimed.isEmpty() || subscribed) {
                reports.add(new GroupReport(g, r == null ? null : r.view, r == null ? null : r.inflightRec(),
                        subscribed, claimed));
            }
        }
        return reports;
    }

    /** Sends a request now if a coordinator is established; it is (re)sent after every takeover anyway. */
    void submit(Requests.Pending p) {
        ctx.requests.add(p);
        send(p.message());
    }

    /** Sends to the coordinator if one is established; dropped otherwise (for votes of a closed epoch). */
    void toCoordinator(Function<Epoch, Msg> message) {
        send(message);
    }

    /** Asks the coordinator to announce a condition; held until a coordinator is established. */
    void announce(String group, Set<SummaryCode> summary, List<ProviderId> affected) {
        Function<Epoch, Msg> m = e -> new Msg.AnnounceRequest(e, group, summary, affected);
        if (established) {
            send(m);
        } else {
            heldAnnouncements.add(m);
        }
    }

    private void send(Function<Epoch, Msg> message) {
        if (established) {
            ctx.net.send(promised.coordinator(), message.apply(promised));
        }
    }

    /** A gateway is down; if it coordinated, requests wait for the next epoch. */
    void nodeDown(NodeId n) {
        if (promised != null && n.equals(promised.coordinator())) {
            established = false;
        }
    }

    /**
     * The peers declared this gateway failed and it came back with a new identity: its providers lost
     * their memberships; subscriptions start again.
     */
    void identityChanged() {
        promised = null;
        established = false;
        heldAnnouncements.clear();
        unsubscribedWhileAway.clear();
        ctx.votes.clearAll();
        ctx.replicas.clear();
        List<Requests.Pending> outstanding = ctx.requests.all();
        ctx.requests.clear();
        for (Requests.Pending p : outstanding) {
            boolean failedRequest = p.kind() == Requests.Kind.PROPOSAL
                    || p.kind() == Requests.Kind.JOIN && p.provider().isLive();
            if (failedRequest && !p.provider().client.isClosed()) {
                ctx.notifier.delayedError(p.provider().client, p.provider().token, p.group(), ReturnCode.MEMBERSHIP_LOST,
                        p.request());
            }
        }
        for (LocalProvider p : List.copyOf(ctx.locals.providers.values())) {
            if (p.status == LocalProvider.Status.MEMBER) {
                ctx.notifier.announcement(p, EnumSet.of(SummaryCode.MEMBERSHIP_LOST), List.of(p.id));
            }
            if (p.isLive()) {
                p.silenced = true;
                p.client.providerEnded(p);
            }
            p.status = LocalProvider.Status.GONE;
            p.removalPending = false;
            if (p.goodbye != null) {
                var f = p.goodbye;
                ctx.callbackExecutor.execute(() -> f.complete(null));
            }
            ctx.locals.forgetIfDone(p);
        }
        for (LocalSubscriber s : List.copyOf(ctx.locals.subscribers.values())) {
            s.status = LocalSubscriber.Status.PENDING;
            s.client.resubscribe(s);
        }
    }
}
