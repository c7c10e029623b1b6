package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.VoteValue;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.VoteRec;

/**
 * The votes of the protocol a group coordinator is running: who must still vote in this phase
 * (the barrier), default votes for failed and late providers, the piggyback rule, and expel targets'
 * deactivate results.
 */
final class RunningProtocol {

    /** The outcome of a closed phase. */
    enum Decision { APPROVE, REJECT, CONTINUE }

    /** Result recorded for a target whose deactivate action did not report in time. */
    static final int DEACTIVATE_TIMED_OUT = -1;

    final long seq;
    final ProtoSpec spec;
    final Set<ProviderId> participants;
    final List<ProviderId> targets;
    final Set<ProviderId> failed = new TreeSet<>();
    final EnumSet<SummaryCode> summary = EnumSet.noneOf(SummaryCode.class);
    int phase;
    int votingPhases;
    DefaultVote defaultVote;
    StateValue proposedState;
    Map<ProviderId, ProviderMessage> votedMessages = new TreeMap<>();
    boolean deactivateThisPhase;
    boolean deactivateOnly;
    boolean deactivateDone;
    Scheduler.Cancellable timer;

    private final Map<ProviderId, VoteValue> votes = new TreeMap<>();
    private final TreeMap<ProviderId, StateValue> phaseStates = new TreeMap<>();
    private final TreeMap<ProviderId, ProviderMessage> phaseMessages = new TreeMap<>();
    private final TreeMap<ProviderId, DefaultVote> phaseDefaults = new TreeMap<>();
    private final Map<ProviderId, Integer> deactivateResults = new TreeMap<>();

    RunningProtocol(long seq, ProtoSpec spec, Collection<ProviderId> participants, DefaultVote defaultVote) {
        this.seq = seq;
        this.spec = spec;
        this.targets = spec.type() == ProtocolType.EXPEL ? spec.leavingIds() : List.of();
        TreeSet<ProviderId> p = new TreeSet<>(participants);
        p.removeAll(targets);
        this.participants = p;
        this.defaultVote = defaultVote;
        this.proposedState = spec.newState();
    }

    boolean isOnePhase() {
        return spec.phases() == NumPhases.ONE;
    }

    /** Starts voting phase {@code phase + 1}. */
    void nextVotingPhase() {
        phase++;
        votingPhases = phase;
        deactivateOnly = false;
        deactivateThisPhase = !targets.isEmpty() && !deactivateDone && phase >= spec.deactivatePhase();
    }

    /** Starts the step that only runs deactivate actions (a one-phase expel, or approval came early). */
    void deactivateStep() {
        phase++;
        deactivateOnly = true;
        deactivateThisPhase = true;
    }

    Set<ProviderId> expectedVoters() {
        if (deactivateOnly) {
            return Set.of();
        }
        Set<ProviderId> s = new TreeSet<>(participants);
        s.removeAll(failed);
        return s;
    }

    Set<ProviderId> expectedTargets() {
        if (!deactivateThisPhase) {
            return Set.of();
        }
        Set<ProviderId> s = new TreeSet<>(targets);
        s.removeAll(failed);
        return s;
    }

    void record(VoteRec v) {
        if (v.isDeactivateResult()) {
            if (expectedTargets().contains(v.voter())) {
                deactivateResults.putIfAbsent(v.voter(), v.deactivateResult());
            }
            return;
        }
        // The same test as expectedVoters().contains(voter), without building that set for every vote (which
        // made a phase cost members² log members at the coordinator).
        boolean expected = !deactivateOnly && participants.contains(v.voter()) && !failed.contains(v.voter());
        if (!expected || votes.containsKey(v.voter())) {
            return;
        }
        votes.put(v.voter(), v.value());
        if (v.state() != null) {
            phaseStates.put(v.voter(), v.state());
        }
        if (v.message() != null) {
            phaseMessages.put(v.voter(), v.message());
        }
        if (v.defaultVote() != null) {
            phaseDefaults.put(v.voter(), v.defaultVote());
        }
    }

    /** @return whether {@code id} took part (so its failure matters to this protocol) */
    boolean markFailed(ProviderId id) {
        boolean involved = participants.contains(id) || targets.contains(id);
        if (involved && failed.add(id)) {
            summary.add(SummaryCode.PROVIDER_FAILED);
        }
        return involved;
    }

    boolean barrierReached() {
        return votes.keySet().containsAll(expectedVoters())
                && deactivateResults.keySet().containsAll(expectedTargets());
    }

    /** The time limit passed: late voters get the default vote, late targets count as unsuccessful. */
    List<ProviderId> timeOut() {
        List<ProviderId> late = new ArrayList<>();
        for (ProviderId p : expectedVoters()) {
            if (!votes.containsKey(p)) {
                votes.put(p, defaultVote.asVote());
                late.add(p);
            }
        }
        for (ProviderId t : expectedTargets()) {
            if (!deactivateResults.containsKey(t)) {
                deactivateResults.put(t, DEACTIVATE_TIMED_OUT);
                late.add(t);
            }
        }
        if (!late.isEmpty()) {
            summary.add(SummaryCode.TIME_LIMIT_EXCEEDED);
        }
        return late;
    }

    /** Closes the phase: the decision, with piggybacked values carried to the next notification. */
    Decision close() {
        boolean reject = false;
        boolean anyContinue = false;
        for (ProviderId p : participants) {
            VoteValue v = failed.contains(p) ? defaultVote.asVote() : votes.get(p);
            if (v == null) {
                v = defaultVote.asVote();
            }
            reject |= v == VoteValue.REJECT;
            anyContinue |= v == VoteValue.CONTINUE;
        }
        if (!phaseStates.isEmpty()) {
            proposedState = phaseStates.firstEntry().getValue();
        }
        votedMessages = new TreeMap<>(phaseMessages);
        if (!phaseDefaults.isEmpty()) {
            defaultVote = phaseDefaults.firstEntry().getValue();
        }
        votes.clear();
        phaseStates.clear();
        phaseMessages.clear();
        phaseDefaults.clear();
        if (deactivateThisPhase) {
            deactivateDone = true;
        }
        if (deactivateOnly) {
            return Decision.APPROVE;
        }
        if (spec.type() == ProtocolType.FAILURE_LEAVE) {
            // A failure-leave always removes the failed: a reject counts as approve, the votes are a barrier.
            return anyContinue ? Decision.CONTINUE : Decision.APPROVE;
        }
        return reject ? Decision.REJECT : anyContinue ? Decision.CONTINUE : Decision.APPROVE;
    }

    /** @return targets whose deactivate action failed, timed out or could not run, in id order */
    List<ProviderId> unsuccessfulTargets() {
        List<ProviderId> bad = new ArrayList<>();
        for (ProviderId t : targets) {
            Integer r = deactivateResults.get(t);
            if (failed.contains(t) || r == null || r != 0) {
                bad.add(t);
            }
        }
        return bad;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
