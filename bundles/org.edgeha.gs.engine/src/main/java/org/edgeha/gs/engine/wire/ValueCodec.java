package org.edgeha.gs.engine.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgeha.gs.api.BatchControl;
import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.MergeControl;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.VoteValue;
import org.edgeha.gs.spi.NodeId;

/** Encodes and decodes the value records shared by several messages. */
final class ValueCodec {

    /** Most entries in any list on the wire (members, votes, log entries, reports). */
    static final int MAX_LIST = 65_536;

    private ValueCodec() {
    }

    static void nodeId(WireOut o, NodeId n) {
        o.i32(n.node()).i64(n.incarnation());
    }

    static NodeId nodeId(WireIn in) throws WireFormatException {
        int node = in.i32();
        long inc = in.i64();
        if (node <= 0 || inc <= 0) {
            throw new WireFormatException("bad node id " + node + "." + inc);
        }
        return new NodeId(node, inc);
    }

    static void epoch(WireOut o, Epoch e) {
        o.i64(e.counter());
        nodeId(o, e.coordinator());
    }

    static Epoch epoch(WireIn in) throws WireFormatException {
        long counter = in.i64();
        if (counter < 0) {
            throw new WireFormatException("negative epoch");
        }
        return new Epoch(counter, nodeId(in));
    }

    static void requestId(WireOut o, RequestId r) {
        nodeId(o, r.origin());
        o.i64(r.number());
    }

    static RequestId requestId(WireIn in) throws WireFormatException {
        return new RequestId(nodeId(in), in.i64());
    }

    static void providerId(WireOut o, ProviderId p) {
        o.i32(p.node()).i32(p.instance());
    }

    static ProviderId providerId(WireIn in) throws WireFormatException {
        int node = in.i32();
        int instance = in.i32();
        if (node <= 0 || instance < 0) {
            throw new WireFormatException("bad provider id " + node + "/" + instance);
        }
        return new ProviderId(node, instance);
    }

    static void state(WireOut o, StateValue s) {
        o.bytes(s.bytes());
    }

    static StateValue state(WireIn in) throws WireFormatException {
        return StateValue.of(in.bytes(GsLimits.MAX_STATE_BYTES));
    }

    static void message(WireOut o, ProviderMessage m) {
        o.bytes(m.bytes());
    }

    static ProviderMessage message(WireIn in) throws WireFormatException {
        return ProviderMessage.of(in.bytes(GsLimits.MAX_MESSAGE_BYTES));
    }

    static void attrs(WireOut o, GroupAttributes a) {
        o.u8(a.defaultVote().ordinal()).u8(a.systemPhases().ordinal()).i64(a.systemTimeLimit().toMillis())
                .u8(a.batchControl().ordinal()).u8(a.mergeControl().ordinal()).str(a.sourceGroup())
                .i32(a.clientVersion());
    }

    static GroupAttributes attrs(WireIn in) throws WireFormatException {
        DefaultVote dv = in.enumOf(DefaultVote.class);
        NumPhases np = in.enumOf(NumPhases.class);
        long limit = in.i64();
        if (limit < 0) {
            throw new WireFormatException("negative time limit");
        }
        BatchControl bc = in.enumOf(BatchControl.class);
        MergeControl mc = in.enumOf(MergeControl.class);
        String source = in.str(GsLimits.MAX_GROUP_NAME_LENGTH);
        return new GroupAttributes(dv, np, Duration.ofMillis(limit), bc, mc, source, in.i32());
    }

    static void member(WireOut o, MemberRec m) {
        providerId(o, m.id());
        o.i64(m.incarnation()).str(m.localName());
    }

    static MemberRec member(WireIn in) throws WireFormatException {
        ProviderId id = providerId(in);
        long inc = in.i64();
        if (inc <= 0) {
            throw new WireFormatException("bad incarnation");
        }
        return new MemberRec(id, inc, in.str(GsLimits.MAX_NAME_LENGTH));
    }

    static void view(WireOut o, ViewRec v) {
        o.str(v.group()).i64(v.seq()).list(v.members(), ValueCodec::member);
        state(o, v.state());
        attrs(o, v.attrs());
        o.opt(v.generation(), (w, g) -> {
            epoch(w, g.epoch());
            w.i64(g.ordinal());
        });
    }

    static ViewRec view(WireIn in) throws WireFormatException {
        String group = groupName(in);
        long seq = in.i64();
        List<MemberRec> members = in.list(MAX_LIST, ValueCodec::member);
        return new ViewRec(group, seq, members, state(in), attrs(in), in.opt(r -> new Generation(epoch(r), r.i64())));
    }

    static String groupName(WireIn in) throws WireFormatException {
        String g = in.str(GsLimits.MAX_GROUP_NAME_LENGTH);
        if (!GsLimits.isValidGroupName(g)) {
            throw new WireFormatException("bad group name");
        }
        return g;
    }

    static void leave(WireOut o, LeaveInfo l) {
        providerId(o, l.provider());
        o.u8(l.reason().ordinal()).i32(l.leaveCode());
    }

    static LeaveInfo leave(WireIn in) throws WireFormatException {
        return new LeaveInfo(providerId(in), in.enumOf(LeaveReason.class), in.i32());
    }

    static void spec(WireOut o, ProtoSpec s) {
        o.u8(s.type().ordinal()).list(s.requests(), ValueCodec::requestId).opt(s.proposer(), ValueCodec::providerId)
                .u8(s.phases().ordinal()).i64(s.timeLimitMs()).list(s.joiners(), ValueCodec::member)
                .list(s.leaves(), ValueCodec::leave).opt(s.newState(), ValueCodec::state)
                .opt(s.message(), ValueCodec::message).opt(s.newAttrs(), ValueCodec::attrs).i32(s.deactivatePhase())
                .str(s.deactivateFlag());
    }

    static ProtoSpec spec(WireIn in) throws WireFormatException {
        ProtocolType type = in.enumOf(ProtocolType.class);
        List<RequestId> reqs = in.list(MAX_LIST, ValueCodec::requestId);
        ProviderId proposer = in.opt(ValueCodec::providerId);
        NumPhases phases = in.enumOf(NumPhases.class);
        long limit = in.i64();
        if (limit < 0) {
            throw new WireFormatException("negative time limit");
        }
        List<MemberRec> joiners = in.list(MAX_LIST, ValueCodec::member);
        List<LeaveInfo> leaves = in.list(MAX_LIST, ValueCodec::leave);
        StateValue st = in.opt(ValueCodec::state);
        ProviderMessage msg = in.opt(ValueCodec::message);
        GroupAttributes attrs = in.opt(ValueCodec::attrs);
        int dp = in.i32();
        String flag = in.str(GsLimits.MAX_NAME_LENGTH);
        return new ProtoSpec(type, reqs, proposer, phases, limit, joiners, leaves, st, msg, attrs, dp, flag);
    }

    static void summary(WireOut o, Set<SummaryCode> codes) {
        int bits = 0;
        for (SummaryCode c : codes) {
            bits |= 1 << c.ordinal();
        }
        o.i32(bits);
    }

    static Set<SummaryCode> summary(WireIn in) throws WireFormatException {
        int bits = in.i32();
        SummaryCode[] all = SummaryCode.values();
        if ((bits >>> all.length) != 0) {
            throw new WireFormatException("bad summary bits");
        }
        Set<SummaryCode> set = EnumSet.noneOf(SummaryCode.class);
        for (SummaryCode c : all) {
            if ((bits & (1 << c.ordinal())) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    static void messages(WireOut o, Map<ProviderId, ProviderMessage> m) {
        o.list(new ArrayList<>(m.entrySet()), (w, e) -> {
            providerId(w, e.getKey());
            message(w, e.getValue());
        });
    }

    static Map<ProviderId, ProviderMessage> messages(WireIn in) throws WireFormatException {
        Map<ProviderId, ProviderMessage> map = new LinkedHashMap<>();
        in.list(MAX_LIST, r -> map.put(providerId(r), message(r)));
        return map;
    }

    static void commit(WireOut o, CommitRec c) {
        o.i64(c.seq());
        spec(o, c.spec());
        o.bool(c.approved());
        summary(o, c.summary());
        o.i32(c.phases());
        view(o, c.result());
        o.opt(c.proposedState(), ValueCodec::state);
        messages(o, c.votedMessages());
    }

    static CommitRec commit(WireIn in) throws WireFormatException {
        long seq = in.i64();
        ProtoSpec spec = spec(in);
        boolean approved = in.bool();
        Set<SummaryCode> summary = summary(in);
        int phases = in.i32();
        ViewRec result = view(in);
        StateValue proposed = in.opt(ValueCodec::state);
        return new CommitRec(seq, spec, approved, summary, phases, result, proposed, messages(in));
    }

    static void vote(WireOut o, VoteRec v) {
        providerId(o, v.voter());
        o.u8(v.value().ordinal()).opt(v.state(), ValueCodec::state).opt(v.message(), ValueCodec::message)
                .opt(v.defaultVote(), (w, d) -> w.u8(d.ordinal())).i32(v.deactivateResult());
    }

    static VoteRec vote(WireIn in) throws WireFormatException {
        ProviderId voter = providerId(in);
        VoteValue value = in.enumOf(VoteValue.class);
        StateValue st = in.opt(ValueCodec::state);
        ProviderMessage msg = in.opt(ValueCodec::message);
        DefaultVote dv = in.opt(r -> r.enumOf(DefaultVote.class));
        return new VoteRec(voter, value, st, msg, dv, in.i32());
    }

    static void report(WireOut o, GroupReport r) {
        o.str(r.group()).opt(r.view(), ValueCodec::view).opt(r.inflight(), (w, f) -> {
            w.i64(f.seq()).i32(f.phase());
            spec(w, f.spec());
        }).bool(r.subscribed()).list(r.claimed(), ValueCodec::providerId);
    }

    static GroupReport report(WireIn in) throws WireFormatException {
        String group = groupName(in);
        ViewRec view = in.opt(ValueCodec::view);
        InflightRec inflight = in.opt(r -> new InflightRec(r.i64(), r.i32(), spec(r)));
        return new GroupReport(group, view, inflight, in.bool(), in.list(MAX_LIST, ValueCodec::providerId));
    }

    static void catchUp(WireOut o, CatchUp c) {
        o.str(c.group()).opt(c.reset(), ValueCodec::view).list(c.entries(), ValueCodec::commit).bool(c.dissolve());
    }

    static CatchUp catchUp(WireIn in) throws WireFormatException {
        return new CatchUp(groupName(in), in.opt(ValueCodec::view), in.list(MAX_LIST, ValueCodec::commit), in.bool());
    }
}
