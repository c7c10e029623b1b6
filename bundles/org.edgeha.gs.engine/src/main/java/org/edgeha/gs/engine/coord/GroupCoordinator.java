package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.core.CommitLog;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.RequestId;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.spi.NodeId;

/**
 * Serialises one group's protocols: the only place that assigns sequence numbers. Accepts a proposal
 * only when no protocol runs and no membership change waits (else {@link ReturnCode#COLLIDE});
 * queues joins and failures and runs them first; drives the phases through {@link PhaseDriver}.
 */
public final class GroupCoordinator {

    final String name;
    final GroupContext ctx;
    ViewRec view;
    final CommitLog log;
    final Set<NodeId> subscribers = new TreeSet<>();
    final SystemQueue queue = new SystemQueue();
    RunningProtocol running;
    private final PhaseDriver driver;

    GroupCoordinator(GroupContext ctx, ViewRec view, CommitLog log, Collection<NodeId> subscribers) {
        this.ctx = ctx;
        this.name = view.group();
        this.view = view;
        this.log = log;
        this.subscribers.addAll(subscribers);
        this.driver = new PhaseDriver(this);
    }

    public ViewRec view() {
        return view;
    }

    /** @return whether the group has members (a group without members does not exist) */
    boolean exists() {
        return !view.members().isEmpty();
    }

    boolean hasMemberOn(Set<NodeId> nodes) {
        return view.members().stream().anyMatch(m -> nodes.contains(m.nodeId()));
    }

    void stop() {
        if (running != null) {
            running.cancelTimer();
        }
    }

    // ---- requests ----

    void onPropose(NodeId from, ProtoSpec spec) {
        if (spec.requests().size() != 1) {
            return;
        }
        if (spec.type() == ProtocolType.JOIN) {
            join(from, spec);
            return;
        }
        RequestId req = spec.requests().get(0);
        ProviderId proposer = spec.proposer();
        Optional<MemberRec> m = proposer == null ? Optional.empty() : view.member(proposer);
        if (m.isEmpty() || !m.get().nodeId().equals(from) || queue.isQueuedFailure(proposer)
                || running != null && running.failed.contains(proposer)) {
            done(from, req, ReturnCode.NOT_A_MEMBER);
        } else if (running != null || !queue.isEmpty()) {
            done(from, req, ReturnCode.COLLIDE);
        } else {
            ReturnCode bad = invalid(spec);
            if (bad != null) {
                done(from, req, bad);
            } else {
                driver.start(spec);
            }
        }
    }

    private ReturnCode invalid(ProtoSpec spec) {
        switch (spec.type()) {
            case LEAVE:
                return spec.leaves().size() == 1 && spec.leaves().get(0).provider().equals(spec.proposer())
                        ? null : ReturnCode.BAD_PARAMETER;
            case EXPEL:
                boolean ok = !spec.leaves().isEmpty() && spec.deactivatePhase() >= 1
                        && spec.leaves().stream().allMatch(l -> view.contains(l.provider()));
                return ok ? null : ReturnCode.BAD_PARAMETER;
            case STATE_CHANGE:
                return spec.newState() == null ? ReturnCode.BAD_PARAMETER : null;
            case MESSAGE:
                return spec.message() == null ? ReturnCode.BAD_PARAMETER : null;
            case ATTRIBUTE_CHANGE:
                return spec.newAttrs() == null || !spec.newAttrs().sourceGroup().equals(view.attrs().sourceGroup())
                        ? ReturnCode.BAD_GROUP_ATTRIBUTES : null;
            default:
                return ReturnCode.BAD_PARAMETER;
        }
    }

    private void join(NodeId from, ProtoSpec spec) {
        RequestId req = spec.requests().get(0);
        if (spec.joiners().size() != 1 || spec.newAttrs() == null || !spec.joiners().get(0).nodeId().equals(from)) {
            done(from, req, ReturnCode.BAD_PARAMETER);
            return;
        }
        MemberRec j = spec.joiners().get(0);
        if (!exists() && running == null && queue.joins.isEmpty()) {
            view = ViewRec.created(name, view.seq(), spec.newAttrs(), ctx.newGeneration()); // the first joiner defines it
        }
        if (!spec.newAttrs().equals(view.attrs())) {
            done(from, req, ReturnCode.BAD_GROUP_ATTRIBUTES);
            return;
        }
        Optional<MemberRec> same = view.member(j.id());
        if (same.isPresent() && same.get().incarnation() < j.incarnation()) {
            nodeDown(same.get().nodeId()); // an older life of the joiner's gateway: gone, removed first
        } else if (same.isPresent() || queue.queuedJoin(j.id()) != null
                || running != null && running.spec.joiningIds().contains(j.id())) {
            done(from, req, ReturnCode.DUPLICATE_INSTANCE_NUMBER);
            return;
        }
        int providers = view.members().size() + queue.joins.size()
                + (running == null ? 0 : running.spec.joiners().size());
        if (providers >= ctx.maxProvidersPerGroup()) {
            ctx.log().info("group " + name + ": join of " + j.id() + " refused: " + providers + " providers, the limit "
                    + "(maxProvidersPerGroup) is " + ctx.maxProvidersPerGroup());
            done(from, req, ReturnCode.LIMIT_REACHED);
            return;
        }
        queue.joins.add(new SystemQueue.JoinEntry(spec, from));
        maybeStart();
    }

    void onFailed(NodeId from, List<LeaveInfo> leaves, RequestId req) {
        List<LeaveInfo> valid = new ArrayList<>();
        for (LeaveInfo l : leaves) {
            if (l.provider().node() != from.node()) {
                continue;
            }
            SystemQueue.JoinEntry queued = queue.queuedJoin(l.provider());
            if (queued != null && queued.from().equals(from)) {
                queue.joins.remove(queued); // withdrawn before it ran
            } else if (isMemberOrJoiner(l.provider(), from)) {
                valid.add(l);
                if (running != null) {
                    running.markFailed(l.provider());
                }
            }
        }
        if (!valid.isEmpty()) {
            queue.addFailure(valid, req, Set.of());
        } else if (req != null) {
            done(from, req, ReturnCode.OK);
        }
        driver.checkBarrier();
        maybeStart();
    }

    private boolean isMemberOrJoiner(ProviderId p, NodeId node) {
        Optional<MemberRec> m = view.member(p);
        if (m.isPresent()) {
            return m.get().nodeId().equals(node);
        }
        return running != null && running.spec.joiners().stream().anyMatch(j -> j.id().equals(p) && j.nodeId().equals(node));
    }

    void onSubscribe(NodeId from, RequestId req) {
        if (!exists()) {
            done(from, req, ReturnCode.UNKNOWN_GROUP);
            return;
        }
        ctx.log().debug(() -> "group " + name + ": subscriber gateway " + from + " at " + view.seq());
        boolean known = subscribers.contains(from) || memberNodes().contains(from);
        subscribers.add(from);
        ctx.send(from, new Msg.Snapshot(ctx.epoch(), name, req, view));
        if (!known) {
            ctx.send(from, new Msg.LogSeed(ctx.epoch(), name, log.all()));
        }
    }

    void onUnsubscribe(NodeId from) {
        subscribers.remove(from);
    }

    void onAnnounceRequest(NodeId from, Set<SummaryCode> summary, List<ProviderId> affected) {
        List<ProviderId> own = affected.stream()
                .filter(p -> view.member(p).map(m -> m.nodeId().equals(from)).orElse(false)).toList();
        if (!own.isEmpty()) {
            announce(summary, own);
        }
    }

    void onVotes(NodeId from, Msg.Votes v) {
        driver.onVotes(from, v);
    }

    // ---- failures ----

    /** A gateway is down: its providers fail (default votes now, one failure-leave later). */
    void nodeDown(NodeId n) {
        queue.dropJoinsFrom(n);
        subscribers.remove(n);
        List<ProviderId> ids = new ArrayList<>();
        view.members().stream().filter(m -> m.nodeId().equals(n)).forEach(m -> ids.add(m.id()));
        if (running != null) {
            running.spec.joiners().stream().filter(j -> j.nodeId().equals(n) && !ids.contains(j.id()))
                    .forEach(j -> ids.add(j.id()));
        }
        providersFailed(ids, LeaveReason.NODE_FAILED, Set.of(n));
    }

    void providersFailed(List<ProviderId> ids, LeaveReason reason, Set<NodeId> nodes) {
        if (!ids.isEmpty()) {
            queue.addFailure(ids.stream().map(p -> new LeaveInfo(p, reason, 0)).toList(), null, nodes);
            if (running != null) {
                ids.forEach(running::markFailed);
            }
        }
        driver.checkBarrier();
        maybeStart();
    }

    // ---- running protocols ----

    /** Starts the next queued membership change, if nothing runs: failures first, then joins. */
    void maybeStart() {
        if (running != null) {
            return;
        }
        for (RequestId orphan : queue.prune(view)) {
            done(orphan.origin(), orphan, ReturnCode.OK);
        }
        GroupAttributes attrs = view.attrs();
        if (!queue.failures.isEmpty()) {
            List<SystemQueue.FailureEvent> events = queue.nextFailures(attrs.batchControl());
            if (waitForSource(events)) {
                return;
            }
            queue.failures.removeAll(events);
            List<LeaveInfo> leaves = new ArrayList<>();
            Set<RequestId> reqs = new LinkedHashSet<>();
            for (SystemQueue.FailureEvent e : events) {
                leaves.addAll(e.leaves.values());
                reqs.addAll(e.requests);
            }
            driver.start(new ProtoSpec(ProtocolType.FAILURE_LEAVE, List.copyOf(reqs), null, attrs.systemPhases(),
                    attrs.systemTimeLimit().toMillis(), List.of(), leaves, null, null, null, 0, ""));
        } else if (!queue.joins.isEmpty()) {
            List<SystemQueue.JoinEntry> entries = queue.nextJoins(attrs.batchControl());
            queue.joins.removeAll(entries);
            driver.start(new ProtoSpec(ProtocolType.JOIN,
                    entries.stream().map(e -> e.spec().requests().get(0)).toList(), null, attrs.systemPhases(),
                    attrs.systemTimeLimit().toMillis(), entries.stream().map(SystemQueue.JoinEntry::joiner).toList(),
                    List.of(), null, null, null, 0, ""));
        }
    }

    /** Source before target: wait while the source group still has members on the failed gateways. */
    private boolean waitForSource(List<SystemQueue.FailureEvent> events) {
        String source = view.attrs().sourceGroup();
        GroupCoordinator s = source.isEmpty() ? null : ctx.group(source);
        if (s == null || s == this || s.view.attrs().sourceGroup().equals(name)) {
            return false;
        }
        Set<NodeId> nodes = new TreeSet<>();
        events.forEach(e -> nodes.addAll(e.nodes));
        return !nodes.isEmpty() && s.hasMemberOn(nodes);
    }

    /** Called by the driver when the running protocol ended. */
    void committed(CommitRec c, ViewRec before) {
        ctx.log().debug(() -> "group " + name + ": protocol " + c.seq() + " " + c.spec().type()
                + (c.approved() ? " approved" : " rejected") + ", members " + c.result().ids());
        running = null;
        view = c.result();
        log.append(c);
        Set<NodeId> to = new TreeSet<>(subscribers);
        before.members().forEach(m -> to.add(m.nodeId()));
        c.spec().joiners().forEach(j -> to.add(j.nodeId()));
        Msg.Commit msg = new Msg.Commit(ctx.epoch(), name, c);
        to.forEach(n -> ctx.send(n, msg)); // to dead gateways the link layer drops it
        Set<NodeId> newcomers = new TreeSet<>();
        c.spec().joiners().forEach(j -> newcomers.add(j.nodeId()));
        before.members().forEach(m -> newcomers.remove(m.nodeId()));
        newcomers.removeAll(subscribers);
        if (c.approved() && !newcomers.isEmpty()) {
            Msg.LogSeed seed = new Msg.LogSeed(ctx.epoch(), name, log.all());
            newcomers.forEach(n -> ctx.send(n, seed));
        }
        boolean dissolved = view.members().isEmpty();
        if (dissolved) {
            subscribers.clear();
            log.clear();
            GroupAttributes next = queue.joins.isEmpty() ? view.attrs() : queue.joins.get(0).spec().newAttrs();
            view = ViewRec.created(name, 0, next, queue.joins.isEmpty() ? null : ctx.newGeneration());
            for (SystemQueue.JoinEntry j : List.copyOf(queue.joins)) {
                if (!j.spec().newAttrs().equals(next)) {
                    queue.joins.remove(j);
                    done(j.from(), j.spec().requests().get(0), ReturnCode.BAD_GROUP_ATTRIBUTES);
                }
            }
        }
        ctx.committed(this, dissolved && queue.isEmpty());
        maybeStart();
    }

    /**
     * Rejects a protocol that a late gateway saw start under a coordinator this epoch never knew: it
     * takes the next sequence number for everybody. Sent to the others now; returned for the late one.
     */
    CommitRec rejectForeign(org.edgeha.gs.engine.wire.InflightRec inflight, NodeId late) {
        CommitRec abort = new CommitRec(view.seq() + 1, inflight.spec(), false, EnumSet.of(SummaryCode.COORDINATOR_LOST),
                inflight.phase(), view.next(view.members(), view.state(), view.attrs()), null, java.util.Map.of());
        Set<NodeId> to = new TreeSet<>(subscribers);
        view.members().forEach(m -> to.add(m.nodeId()));
        to.remove(late);
        view = abort.result();
        log.append(abort);
        Msg.Commit msg = new Msg.Commit(ctx.epoch(), name, abort);
        to.forEach(n -> ctx.send(n, msg));
        return abort;
    }

    void announce(Set<SummaryCode> summary, List<ProviderId> affected) {
        Msg.Announce a = new Msg.Announce(ctx.epoch(), name, EnumSet.copyOf(summary), affected);
        memberNodes().forEach(n -> ctx.send(n, a));
    }

    Set<NodeId> memberNodes() {
        Set<NodeId> nodes = new TreeSet<>();
        view.members().forEach(m -> nodes.add(m.nodeId()));
        return nodes;
    }

    void done(NodeId to, RequestId req, ReturnCode code) {
        ctx.send(to, new Msg.RequestDone(ctx.epoch(), name, req, code));
    }
}
