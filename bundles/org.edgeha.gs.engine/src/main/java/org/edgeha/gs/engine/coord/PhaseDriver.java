package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.VoteRec;
import org.edgeha.gs.engine.wire.ViewRec;
import org.edgeha.gs.spi.NodeId;

/**
 * Runs one protocol of a group through its phases: sends each phase to the participating gateways,
 * collects their aggregated votes, closes the phase at the barrier or the time limit, and commits.
 */
final class PhaseDriver {

    private final GroupCoordinator g;

    PhaseDriver(GroupCoordinator g) {
        this.g = g;
    }

    void start(ProtoSpec spec) {
        ViewRec view = g.view;
        List<ProviderId> participants = new ArrayList<>(view.ids());
        spec.joiners().forEach(j -> participants.add(j.id()));
        if (spec.type() == ProtocolType.FAILURE_LEAVE) {
            participants.removeAll(spec.leavingIds()); // the failed do not vote on their own removal
        }
        RunningProtocol r = new RunningProtocol(view.seq() + 1, spec, participants, view.attrs().defaultVote());
        g.running = r;
        for (MemberRec m : allInvolved(view, spec)) {
            if (!g.ctx.isUp(m.nodeId()) || g.queue.isQueuedFailure(m.id())) {
                r.markFailed(m.id());
            }
        }
        if (r.isOnePhase()) {
            if (r.targets.isEmpty()) {
                commit(true);
            } else {
                r.deactivateStep();
                sendPhase();
            }
        } else {
            r.nextVotingPhase();
            sendPhase();
        }
    }

    private static List<MemberRec> allInvolved(ViewRec view, ProtoSpec spec) {
        List<MemberRec> all = new ArrayList<>(view.members());
        all.addAll(spec.joiners());
        return all;
    }

    private void sendPhase() {
        RunningProtocol r = g.running;
        Msg.Phase phase = new Msg.Phase(g.ctx.epoch(), g.name, r.seq, r.phase, r.spec, g.view, r.proposedState,
                r.votedMessages, List.copyOf(r.expectedVoters()), List.copyOf(r.expectedTargets()), r.summary,
                r.deactivateOnly);
        Set<NodeId> nodes = new TreeSet<>();
        allInvolved(g.view, r.spec).forEach(m -> nodes.add(m.nodeId()));
        nodes.forEach(n -> g.ctx.send(n, phase));
        if (r.phase == 1) {
            // A joiner's gateway may hold no view of the group yet: give it the recent protocols too, so
            // that from now on it can serve any gateway that lags behind (see the takeover).
            Set<NodeId> newcomers = new TreeSet<>();
            r.spec.joiners().forEach(j -> newcomers.add(j.nodeId()));
            g.view.members().forEach(m -> newcomers.remove(m.nodeId()));
            newcomers.removeAll(g.subscribers);
            Msg.LogSeed seed = new Msg.LogSeed(g.ctx.epoch(), g.name, g.log.all());
            newcomers.forEach(n -> g.ctx.send(n, seed));
        }
        long limit = r.spec.timeLimitMs();
        if (limit == 0 && r.deactivateOnly) {
            limit = g.view.attrs().systemTimeLimit().toMillis();
        }
        if (limit > 0) {
            int p = r.phase;
            r.timer = g.ctx.scheduler().schedule(limit, () -> timedOut(r, p));
        }
        checkBarrier();
    }

    void onVotes(NodeId from, Msg.Votes v) {
        RunningProtocol r = g.running;
        if (r == null || v.seq() != r.seq || v.phase() != r.phase) {
            return; // a late vote for a phase already closed
        }
        for (VoteRec vote : v.votes()) {
            if (vote.voter().node() == from.node()) {
                r.record(vote);
            }
        }
        checkBarrier();
    }

    private void timedOut(RunningProtocol r, int phase) {
        if (g.running != r || r.phase != phase) {
            return;
        }
        r.timer = null;
        List<ProviderId> late = r.timeOut();
        if (!late.isEmpty()) {
            g.announce(EnumSet.of(SummaryCode.TIME_LIMIT_EXCEEDED), late);
        }
        checkBarrier();
    }

    /** Closes the phase once every expected vote (or default) and deactivate result is in. */
    void checkBarrier() {
        RunningProtocol r = g.running;
        if (r == null || !r.barrierReached()) {
            return;
        }
        r.cancelTimer();
        boolean deactivated = r.deactivateThisPhase;
        RunningProtocol.Decision d = r.close();
        if (deactivated) {
            List<ProviderId> bad = r.unsuccessfulTargets();
            if (!bad.isEmpty()) {
                r.summary.add(SummaryCode.DEACTIVATE_UNSUCCESSFUL);
                g.announce(EnumSet.of(SummaryCode.DEACTIVATE_UNSUCCESSFUL), bad);
            }
        }
        switch (d) {
            case REJECT -> commit(false);
            case APPROVE -> {
                if (!r.targets.isEmpty() && !r.deactivateDone) {
                    r.deactivateStep();
                    sendPhase();
                } else {
                    commit(true);
                }
            }
            default -> {
                r.nextVotingPhase();
                sendPhase();
            }
        }
    }

    private void commit(boolean approved) {
        RunningProtocol r = g.running;
        r.cancelTimer();
        ViewRec before = g.view;
        g.committed(Results.commit(before, r, approved), before);
    }
}
