package org.edgeha.gs.engine.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.VoteRec;

/**
 * Aggregates the votes of this gateway's providers per group and phase into one message for the
 * coordinator: sent as soon as every local voter has voted, or at the next turn of the scheduler
 * after the first vote, so a slow provider never holds back the others' votes.
 */
final class VoteBuffer {

    private static final class Phase {
        final long seq;
        final int phase;
        final Set<ProviderId> expected;
        final List<VoteRec> votes = new ArrayList<>();
        boolean flushScheduled;

        Phase(long seq, int phase, Set<ProviderId> expected) {
            this.seq = seq;
            this.phase = phase;
            this.expected = new TreeSet<>(expected);
        }
    }

    private final NodeContext ctx;
    private final Map<String, Phase> phases = new TreeMap<>();

    VoteBuffer(NodeContext ctx) {
        this.ctx = ctx;
    }

    /** A phase starts; {@code voters} are the local providers (and deactivate targets) it waits for. */
    void expect(String group, long seq, int phase, Set<ProviderId> voters) {
        phases.put(group, new Phase(seq, phase, voters));
    }

    void add(String group, long seq, int phase, VoteRec vote) {
        Phase p = phases.get(group);
        if (p == null || p.seq != seq || p.phase != phase) {
            return; // the phase closed meanwhile
        }
        p.votes.add(vote);
        p.expected.remove(vote.voter());
        if (p.expected.isEmpty()) {
            flush(group, p);
        } else if (!p.flushScheduled) {
            p.flushScheduled = true;
            ctx.scheduler.execute(() -> {
                p.flushScheduled = false;
                if (phases.get(group) == p) {
                    flush(group, p);
                }
            });
        }
    }

    private void flush(String group, Phase p) {
        if (p.votes.isEmpty()) {
            return;
        }
        List<VoteRec> votes = new ArrayList<>(p.votes);
        p.votes.clear();
        ctx.member.toCoordinator(e -> new Msg.Votes(e, group, p.seq, p.phase, votes));
    }

    void clear(String group) {
        phases.remove(group);
    }

    void clearAll() {
        phases.clear();
    }
}
