package org.edgeha.gs.engine.wire;

import java.util.List;
import java.util.Objects;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;

/**
 * A request as it travels to the coordinator, and the protocol it becomes. Fields that do not apply
 * to the type are empty or {@code null}.
 *
 * @param type the protocol type
 * @param requests the requests this protocol answers (several for batched joins and failure-leaves)
 * @param proposer the proposing provider, {@code null} for system protocols
 * @param phases one or n
 * @param timeLimitMs per-phase limit, 0 for none
 * @param joiners the joining providers (join); for a join request, the joiner's expected attributes
 *     are in {@code newAttrs}
 * @param leaves the leaving providers with reasons (leave, expel, failure-leave)
 * @param newState the proposed state (state change)
 * @param message the message (message)
 * @param newAttrs the proposed attributes (attribute change; join: the joiner's attributes)
 * @param deactivatePhase the deactivate phase (expel), else 0
 * @param deactivateFlag the deactivate flag (expel), else ""
 */
public record ProtoSpec(ProtocolType type, List<RequestId> requests, ProviderId proposer, NumPhases phases,
        long timeLimitMs, List<MemberRec> joiners, List<LeaveInfo> leaves, StateValue newState,
        ProviderMessage message, GroupAttributes newAttrs, int deactivatePhase, String deactivateFlag) {

    public ProtoSpec {
        Objects.requireNonNull(type, "type");
        requests = List.copyOf(requests);
        Objects.requireNonNull(phases, "phases");
        joiners = List.copyOf(joiners);
        leaves = List.copyOf(leaves);
        Objects.requireNonNull(deactivateFlag, "deactivateFlag");
    }

    public List<ProviderId> leavingIds() {
        return leaves.stream().map(LeaveInfo::provider).toList();
    }

    public List<ProviderId> joiningIds() {
        return joiners.stream().map(MemberRec::id).toList();
    }

    /** @return the providers whose membership this protocol changes, joiners first */
    public List<ProviderId> changing() {
        return java.util.stream.Stream.concat(joiningIds().stream(), leavingIds().stream()).toList();
    }

    public ProtoSpec withRequests(List<RequestId> r) {
        return new ProtoSpec(type, r, proposer, phases, timeLimitMs, joiners, leaves, newState, message, newAttrs,
                deactivatePhase, deactivateFlag);
    }

    public ProtoSpec withVoting(NumPhases p, long limitMs) {
        return new ProtoSpec(type, requests, proposer, p, limitMs, joiners, leaves, newState, message, newAttrs,
                deactivatePhase, deactivateFlag);
    }
}
