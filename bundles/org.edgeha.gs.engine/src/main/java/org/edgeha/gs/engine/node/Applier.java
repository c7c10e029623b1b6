package org.edgeha.gs.engine.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.edgeha.gs.api.DeactivateRequest;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.wire.CatchUp;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.engine.wire.VoteRec;
import org.edgeha.gs.spi.NodeId;

/**
 * Applies the coordinator's phases and commits to this gateway's replicas, and turns them into
 * notifications for local providers and subscribers. A commit is applied only as the next sequence
 * number of its group, so a duplicate can never be delivered twice.
 */
final class Applier {

    private final NodeContext ctx;

    Applier(NodeContext ctx) {
        this.ctx = ctx;
    }

    /** @return the local provider that is this member (same incarnation), claimed or live, or {@code null} */
    private LocalProvider local(String group, MemberRec m, boolean liveOnly) {
        NodeId self = ctx.net.self();
        if (!m.nodeId().equals(self)) {
            return null;
        }
        for (LocalProvider p : ctx.locals.providers(group)) {
            if (p.id.equals(m.id()) && p.incarnation == m.incarnation() && (liveOnly ? p.isLive() : p.isClaimed())) {
                return p;
            }
        }
        return null;
    }

    private List<MemberRec> involved(ViewRec before, List<MemberRec> joiners) {
        List<MemberRec> all = new ArrayList<>(before.members());
        joiners.stream().filter(j -> !before.contains(j.id())).forEach(all::add);
        return all;
    }

    void phase(Msg.Phase ph) {
        String group = ph.group();
        List<MemberRec> all = involved(ph.before(), ph.spec().joiners());
        Replica r = ctx.replicas.get(group);
        if (r == null) {
            if (all.stream().noneMatch(m -> local(group, m, false) != null)) {
                return;
            }
            r = new Replica(ph.before(), ctx.config.commitLogSize());
            ctx.replicas.put(group, r);
        } else if (r.view.seq() != ph.seq() - 1) {
            outOfStep(group, r.view.seq(), ph.seq());
            r.view = ph.before();
        }
        r.inflight = ph;
        Set<ProviderId> expected = new TreeSet<>();
        List<LeaveInfo> unknown = new ArrayList<>();
        for (MemberRec m : all) {
            if (!m.nodeId().equals(ctx.net.self())) {
                continue; // tested first: the voter list is as long as the group (members² per phase otherwise)
            }
            boolean voter = ph.voters().contains(m.id());
            boolean target = ph.deactivateTargets().contains(m.id());
            if (!voter && !target) {
                continue;
            }
            LocalProvider p = local(group, m, true);
            if (p == null) {
                if (local(group, m, false) == null) {
                    unknown.add(new LeaveInfo(m.id(), LeaveReason.PROVIDER_FAILED, 0));
                }
                continue;
            }
            expected.add(p.id);
            if (voter) {
                p.awaitSeq = ph.seq();
                p.awaitPhase = ph.phase();
                ctx.notifier.nPhase(p, ph);
            } else {
                deactivate(p, ph);
            }
        }
        ctx.votes.expect(group, ph.seq(), ph.phase(), expected);
        if (!unknown.isEmpty()) {
            // Listed as ours but unknown here (lost before this gateway could report it): fail them.
            ctx.member.toCoordinator(e -> new Msg.Failed(e, group, unknown, null));
        }
    }

    private void deactivate(LocalProvider p, Msg.Phase ph) {
        String group = ph.group();
        long seq = ph.seq();
        int phase = ph.phase();
        DeactivateRequest req = new DeactivateRequest(p.token, group, ph.spec().deactivateFlag(), phase);
        p.client.post(() -> {
            CompletionStage<Integer> stage;
            try {
                stage = p.client.deactivateHandler().deactivate(req);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((code, err) -> ctx.locked.run(() -> ctx.votes.add(group, seq, phase,
                    VoteRec.deactivated(p.id, err != null || code == null ? 1 : code))));
        });
    }

    void commit(String group, CommitRec c) {
        Replica r = ctx.replicas.get(group);
        long at = r == null ? -1 : r.view.seq();
        ctx.log.debug(() -> "group " + group + ": commit " + c.seq() + " " + c.spec().type() + " arrived, this gateway at "
                + (at < 0 ? "no view" : "seq " + at));
        ViewRec before;
        if (r == null) {
            boolean mine = c.spec().joiners().stream().anyMatch(j -> local(group, j, false) != null);
            if (!mine) {
                ctx.log.debug(() -> "group " + group + ": commit " + c.seq() + " names no joiner of this gateway: "
                        + c.spec().joiners());
                failUnknown(group, c.result());
                return;
            }
            List<ProviderId> joining = c.spec().joiningIds();
            before = new ViewRec(group, c.seq() - 1,
                    c.result().members().stream().filter(m -> !joining.contains(m.id())).toList(),
                    c.result().state(), c.result().attrs(), c.result().generation());
            r = new Replica(before, ctx.config.commitLogSize());
            ctx.replicas.put(group, r);
        } else if (c.seq() <= r.view.seq()) {
            ctx.stats.duplicates.incrementAndGet();
            return;
        } else if (c.seq() != r.view.seq() + 1) {
            outOfStep(group, r.view.seq(), c.seq());
        }
        before = r.view;
        r.view = c.result();
        r.inflight = null;
        r.log.append(c);
        ctx.votes.clear(group);
        List<LocalProvider> ended = new ArrayList<>();
        for (MemberRec m : involved(before, c.spec().joiners())) {
            LocalProvider p = local(group, m, false);
            if (p == null) {
                continue;
            }
            p.awaitSeq = -1;
            if (p.isLive()) {
                ctx.notifier.finished(p, c, before);
            }
            boolean member = c.result().contains(p.id);
            if (member && p.isLive()) {
                p.status = LocalProvider.Status.MEMBER;
            } else if (!member && (before.contains(p.id) || c.spec().joiningIds().contains(p.id))) {
                ended.add(p);
            }
        }
        if (c.approved() || c.spec().type() != ProtocolType.FAILURE_LEAVE) {
            // A failure-leave is only ever rejected when a takeover cut it short: its goodbyes stay
            // outstanding and are sent again, so that the removal runs again.
            c.spec().requests().forEach(ctx.requests::remove);
        }
        ended.forEach(this::removed);
        subscribers(group, c.seq(), before, c.result(), c.approved());
        failUnknown(group, c.result());
        dropIfUnneeded(group);
    }

    /**
     * Members of this gateway's incarnation that it does not account for (lost before it could report
     * them) are reported failed, so that they do not stay in the group for good.
     */
    private void failUnknown(String group, ViewRec view) {
        List<LeaveInfo> unknown = new ArrayList<>();
        for (MemberRec m : view.members()) {
            if (m.nodeId().equals(ctx.net.self()) && local(group, m, false) == null) {
                unknown.add(new LeaveInfo(m.id(), LeaveReason.PROVIDER_FAILED, 0));
            }
        }
        if (!unknown.isEmpty()) {
            ctx.member.toCoordinator(e -> new Msg.Failed(e, group, unknown, null));
        }
    }

    /** The group no longer lists {@code p}: its membership, and any goodbye waiting for that, are over. */
    private void removed(LocalProvider p) {
        boolean wasLive = p.isLive();
        p.status = LocalProvider.Status.GONE;
        p.removalPending = false;
        ctx.requests.of(p).stream().filter(q -> q.kind() == Requests.Kind.JOIN
                || q.kind() == Requests.Kind.FAILED && q.leaving().stream().allMatch(o -> o == p || !o.removalPending))
                .forEach(q -> ctx.requests.remove(q.id()));
        if (p.goodbye != null) {
            CompletableFuture<Void> f = p.goodbye;
            ctx.callbackExecutor.execute(() -> f.complete(null));
        }
        if (wasLive) {
            p.client.providerEnded(p);
        }
        ctx.locals.forgetIfDone(p);
    }

    private void subscribers(String group, long seq, ViewRec before, ViewRec after, boolean approved) {
        if (!approved) {
            return;
        }
        try {
            ctx.hooks.viewChanged(new GroupView(group, after.seq(), after.ids(), after.state(), after.attrs(),
                    java.util.Optional.empty(), ctx.member.coordinatorNode()), before.ids());
        } catch (RuntimeException e) {
            ctx.log.warn("Group Services: a view listener failed: " + e);
        }
        for (LocalSubscriber s : ctx.locals.subscribers(group)) {
            if (s.status == LocalSubscriber.Status.ACTIVE && ctx.notifier.subscription(s, seq, before, after, false)) {
                s.status = LocalSubscriber.Status.CLOSED;
                ctx.locals.subscribers.remove(s.token.value());
            }
        }
    }

    /**
     * Drops the replica unless the coordinator keeps it current: it sends a group's protocols only to
     * gateways with members or subscribers in it (and to joiners, for their own join).
     */
    void dropIfUnneeded(String group) {
        Replica r = ctx.replicas.get(group);
        if (r == null || !ctx.member.established()) {
            return; // during a takeover the new coordinator may still ask for this view's log
        }
        boolean members = ctx.locals.providers(group).stream().anyMatch(p -> p.isClaimed()
                && r.view.member(p.id).map(m -> m.incarnation() == p.incarnation).orElse(false));
        boolean subscribers = ctx.locals.subscribers(group).stream()
                .anyMatch(s -> s.status == LocalSubscriber.Status.ACTIVE);
        if (r.inflight == null && (r.view.members().isEmpty() || !members && !subscribers)) {
            ctx.log.debug(() -> "group " + group + ": no local member or subscriber left at seq " + r.view.seq()
                    + "; view dropped (local providers " + ctx.locals.providers(group).stream()
                    .map(p -> p.id + "@" + p.incarnation + (p.isClaimed() ? "" : " unclaimed")).toList() + ")");
            ctx.replicas.remove(group);
            ctx.votes.clear(group);
        }
    }

    void catchUp(CatchUp cu) {
        if (cu.reset() != null) {
            reset(cu.reset());
        }
        for (CommitRec c : cu.entries()) {
            commit(cu.group(), c);
        }
        if (cu.dissolve()) {
            endOfLife(cu.group());
        }
    }

    /**
     * Another life of the group was adopted while this gateway held an older one (it was cut off while
     * that one ended): its members lost their membership, its subscriptions see the group dissolved.
     */
    private void endOfLife(String group) {
        ctx.stats.livesEnded.incrementAndGet();
        for (LocalProvider p : List.copyOf(ctx.locals.providers(group))) {
            if (p.status == LocalProvider.Status.MEMBER) {
                ctx.notifier.announcement(p, EnumSet.of(SummaryCode.MEMBERSHIP_LOST), List.of(p.id));
                removed(p);
            } else if (!p.isLive() && p.removalPending) {
                removed(p);
            }
        }
        for (LocalSubscriber s : ctx.locals.subscribers(group)) {
            if (s.status == LocalSubscriber.Status.ACTIVE && s.lastDelivered != null) {
                ctx.notifier.dissolvedMeanwhile(s);
                s.closed = true;
                s.status = LocalSubscriber.Status.CLOSED;
                ctx.locals.subscribers.remove(s.token.value());
            }
        }
        ctx.replicas.remove(group);
        ctx.votes.clear(group);
    }

    /** Starts the group again from a snapshot: the protocols in between are lost to this gateway. */
    private void reset(ViewRec v) {
        String group = v.group();
        ctx.stats.resyncs.incrementAndGet();
        Replica r = ctx.replicas.get(group);
        ViewRec before = r == null ? v : r.view;
        if (r == null) {
            r = new Replica(v, ctx.config.commitLogSize());
            ctx.replicas.put(group, r);
        }
        r.view = v;
        r.inflight = null;
        r.log.clear();
        for (LocalProvider p : List.copyOf(ctx.locals.providers(group))) {
            if (p.status == LocalProvider.Status.MEMBER && !v.contains(p.id)) {
                ctx.notifier.announcement(p, EnumSet.of(SummaryCode.MEMBERSHIP_LOST), List.of(p.id));
                removed(p);
            } else if (p.status == LocalProvider.Status.MEMBER) {
                ctx.notifier.announcement(p, EnumSet.of(SummaryCode.RESYNCHRONIZED), v.ids());
            } else if (!p.isLive() && p.removalPending && !v.contains(p.id)) {
                removed(p);
            }
        }
        subscribers(group, v.seq(), before, v, true);
        dropIfUnneeded(group);
    }

    void announce(Msg.Announce a) {
        for (LocalProvider p : ctx.locals.providers(a.group())) {
            if (p.status == LocalProvider.Status.MEMBER && p.incarnation == ctx.net.self().incarnation()) {
                ctx.notifier.announcement(p, a.summary(), a.affected());
            }
        }
    }

    void snapshot(Msg.Snapshot s) {
        Requests.Pending pending = ctx.requests.remove(s.request());
        if (pending == null || pending.subscriber() == null || pending.subscriber().closed) {
            return;
        }
        Replica r = ctx.replicas.get(s.group());
        if (r == null) {
            ctx.replicas.put(s.group(), new Replica(s.view(), ctx.config.commitLogSize()));
        } else if (r.view.seq() != s.view().seq()) {
            outOfStep(s.group(), r.view.seq(), s.view().seq());
            r.view = s.view();
        }
        LocalSubscriber sub = pending.subscriber();
        if (sub.lastDelivered != null && !java.util.Objects.equals(sub.lastDelivered.generation(), s.view().generation())) {
            // Re-subscribing after this gateway was cut off: the group watched is gone, this is a new one.
            ctx.notifier.dissolvedMeanwhile(sub);
            subscriptionEnded(sub);
            return;
        }
        sub.status = LocalSubscriber.Status.ACTIVE;
        ctx.notifier.subscription(sub, s.view().seq(), s.view(), s.view(), true);
    }

    void done(Msg.RequestDone d) {
        Requests.Pending p = ctx.requests.remove(d.request());
        if (p == null) {
            return;
        }
        switch (p.kind()) {
            case FAILED -> p.leaving().stream().filter(lp -> lp.removalPending).forEach(this::removed);
            case JOIN -> {
                LocalProvider lp = p.provider();
                if (lp.isLive()) {
                    ctx.notifier.delayedError(lp.client, lp.token, d.group(), d.code(), p.request());
                    removed(lp);
                }
            }
            case PROPOSAL -> ctx.notifier.delayedError(p.provider().client, p.provider().token, d.group(), d.code(),
                    p.request());
            case SUBSCRIBE -> {
                LocalSubscriber s = p.subscriber();
                if (!s.closed) {
                    s.closed = true;
                    s.status = LocalSubscriber.Status.CLOSED;
                    ctx.locals.subscribers.remove(s.token.value());
                    if (s.lastDelivered != null && d.code() == org.edgeha.gs.api.ReturnCode.UNKNOWN_GROUP) {
                        ctx.notifier.dissolvedMeanwhile(s);
                    } else {
                        ctx.notifier.delayedError(s.client, s.token, d.group(), d.code(), p.request());
                    }
                }
            }
            default -> { }
        }
    }

    /** A subscription ended: the coordinator stops sending when the gateway's last subscriber is gone. */
    void subscriptionEnded(LocalSubscriber s) {
        s.closed = true;
        s.status = LocalSubscriber.Status.CLOSED;
        ctx.locals.subscribers.remove(s.token.value());
        ctx.requests.remove(s.pending);
        String group = s.group();
        if (ctx.locals.subscribers(group).isEmpty()) {
            ctx.member.unsubscribe(group);
        }
        dropIfUnneeded(group);
    }

    void fetchLog(NodeId from, Msg.FetchLog f) {
        Replica r = ctx.replicas.get(f.group());
        List<CommitRec> entries = r == null ? List.of()
                : r.log.all().stream().filter(c -> c.seq() >= f.fromSeq()).toList();
        ctx.log.debug(() -> "log of " + f.group() + " asked from " + f.fromSeq() + ": have "
                + (r == null ? "no view" : r.log.all().stream().map(c -> Long.toString(c.seq())).toList()));
        ctx.net.send(from, new Msg.LogReply(f.epoch(), f.group(), entries, null));
    }

    private void outOfStep(String group, long have, long got) {
        ctx.stats.divergences.incrementAndGet();
        ctx.log.warn("Group Services: group " + group + " at " + have + " received protocol " + got
                + " out of step; taking the coordinator's view");
    }

}
