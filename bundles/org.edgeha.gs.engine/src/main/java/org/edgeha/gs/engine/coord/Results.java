package org.edgeha.gs.engine.coord;

import java.util.ArrayList;
import java.util.List;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.MemberRec;
import org.edgeha.gs.engine.wire.ViewRec;

/** What a finished protocol does to a group's view. */
final class Results {

    private Results() {
    }

    static CommitRec commit(ViewRec before, RunningProtocol r, boolean approved) {
        return new CommitRec(r.seq, r.spec, approved, r.summary, r.isOnePhase() ? 0 : r.votingPhases,
                apply(before, r, approved), r.proposedState, r.votedMessages);
    }

    static ViewRec apply(ViewRec before, RunningProtocol r, boolean approved) {
        if (!approved) {
            return before.next(before.members(), before.state(), before.attrs());
        }
        List<MemberRec> members = new ArrayList<>(before.members());
        ProtocolType type = r.spec.type();
        if (type == ProtocolType.JOIN) {
            for (MemberRec j : r.spec.joiners()) {
                if (!before.contains(j.id())) {
                    members.add(j);
                }
            }
        } else if (type == ProtocolType.LEAVE || type == ProtocolType.EXPEL || type == ProtocolType.FAILURE_LEAVE) {
            List<ProviderId> leaving = r.spec.leavingIds();
            members.removeIf(m -> leaving.contains(m.id()));
        }
        StateValue state = r.proposedState != null ? r.proposedState : before.state();
        GroupAttributes attrs = type == ProtocolType.ATTRIBUTE_CHANGE ? r.spec.newAttrs() : before.attrs();
        return before.next(members, state, attrs);
    }
}
