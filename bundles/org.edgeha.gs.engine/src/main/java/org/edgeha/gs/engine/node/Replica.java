package org.edgeha.gs.engine.node;

import java.util.Optional;

import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProtocolStatus;
import org.edgeha.gs.engine.core.CommitLog;
import org.edgeha.gs.engine.wire.InflightRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ViewRec;

/** This gateway's copy of one group: the last view applied, the protocol in progress, recent protocols. */
final class Replica {

    final String group;
    ViewRec view;
    Msg.Phase inflight;
    final CommitLog log;

    Replica(ViewRec view, int logSize) {
        this.group = view.group();
        this.view = view;
        this.log = new CommitLog(logSize);
    }

    InflightRec inflightRec() {
        return inflight == null ? null : new InflightRec(inflight.seq(), inflight.phase(), inflight.spec());
    }

    GroupView toView(int coordinatorNode) {
        Optional<ProtocolStatus> running = inflight == null ? Optional.empty()
                : Optional.of(new ProtocolStatus(inflight.seq(), inflight.spec().type(), inflight.phase(),
                        Optional.ofNullable(inflight.spec().proposer())));
        return new GroupView(group, view.seq(), view.ids(), view.state(), view.attrs(), running, coordinatorNode);
    }
}
