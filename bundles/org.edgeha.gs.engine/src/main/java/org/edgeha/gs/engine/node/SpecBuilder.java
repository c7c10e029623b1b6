package org.edgeha.gs.engine.node;

import java.util.List;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.RequestId;

/** Builds the {@link ProtoSpec} of a provider-initiated proposal. */
final class SpecBuilder {

    private final ProtocolType type;
    private final RequestId id;
    private final ProviderId proposer;
    private final Voting voting;
    private List<LeaveInfo> leaves = List.of();
    private StateValue state;
    private ProviderMessage message;
    private GroupAttributes attrs;
    private int deactivatePhase;
    private String deactivateFlag = "";

    SpecBuilder(ProtocolType type, RequestId id, ProviderId proposer, Voting voting) {
        this.type = type;
        this.id = id;
        this.proposer = proposer;
        this.voting = voting;
    }

    SpecBuilder leaves(List<LeaveInfo> l) {
        leaves = l;
        return this;
    }

    SpecBuilder state(StateValue s) {
        state = s;
        return this;
    }

    SpecBuilder message(ProviderMessage m) {
        message = m;
        return this;
    }

    SpecBuilder attrs(GroupAttributes a) {
        attrs = a;
        return this;
    }

    SpecBuilder deactivate(int phase, String flag) {
        deactivatePhase = phase;
        deactivateFlag = flag;
        return this;
    }

    ProtoSpec build() {
        return new ProtoSpec(type, List.of(id), proposer, voting.phases(), voting.timeLimit().toMillis(), List.of(),
                leaves, state, message, attrs, deactivatePhase, deactivateFlag);
    }
}
