package org.edgeha.gs.engine.wire;

import static org.edgeha.gs.engine.wire.ValueCodec.MAX_LIST;

import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.engine.wire.Msg.Announce;
import org.edgeha.gs.engine.wire.Msg.AnnounceRequest;
import org.edgeha.gs.engine.wire.Msg.Commit;
import org.edgeha.gs.engine.wire.Msg.EpochStart;
import org.edgeha.gs.engine.wire.Msg.Failed;
import org.edgeha.gs.engine.wire.Msg.FetchLog;
import org.edgeha.gs.engine.wire.Msg.LogReply;
import org.edgeha.gs.engine.wire.Msg.Phase;
import org.edgeha.gs.engine.wire.Msg.Prepare;
import org.edgeha.gs.engine.wire.Msg.PrepareNack;
import org.edgeha.gs.engine.wire.Msg.Promise;
import org.edgeha.gs.engine.wire.Msg.Propose;
import org.edgeha.gs.engine.wire.Msg.RequestDone;
import org.edgeha.gs.engine.wire.Msg.Snapshot;
import org.edgeha.gs.engine.wire.Msg.Subscribe;
import org.edgeha.gs.engine.wire.Msg.Unsubscribe;
import org.edgeha.gs.engine.wire.Msg.Votes;

/**
 * The binary form of {@link Msg}: a format version, a tag, the epoch, then the fields. Decoding checks
 * every length and value and rejects trailing bytes.
 */
public final class MsgCodec {

    /** Format version; a gateway drops messages of another version (and counts them). */
    public static final int VERSION = 1;

    private MsgCodec() {
    }

    public static byte[] encode(Msg m) {
        WireOut o = new WireOut().u8(VERSION).u8(tag(m));
        ValueCodec.epoch(o, m.epoch());
        if (m instanceof Prepare) {
            // epoch only
        } else if (m instanceof PrepareNack n) {
            ValueCodec.epoch(o, n.promised());
        } else if (m instanceof Promise p) {
            o.list(p.groups(), ValueCodec::report);
        } else if (m instanceof FetchLog f) {
            o.str(f.group()).i64(f.fromSeq());
        } else if (m instanceof LogReply r) {
            o.str(r.group()).list(r.entries(), ValueCodec::commit).opt(r.snapshot(), ValueCodec::view);
        } else if (m instanceof EpochStart s) {
            o.list(s.catchUps(), ValueCodec::catchUp);
        } else if (m instanceof Propose p) {
            o.str(p.group());
            ValueCodec.spec(o, p.spec());
        } else if (m instanceof Failed f) {
            o.str(f.group()).list(f.leaves(), ValueCodec::leave).opt(f.request(), ValueCodec::requestId);
        } else if (m instanceof Subscribe s) {
            o.str(s.group());
            ValueCodec.requestId(o, s.request());
        } else if (m instanceof Unsubscribe u) {
            o.str(u.group());
        } else if (m instanceof AnnounceRequest a) {
            o.str(a.group());
            ValueCodec.summary(o, a.summary());
            o.list(a.affected(), ValueCodec::providerId);
        } else if (m instanceof Votes v) {
            o.str(v.group()).i64(v.seq()).i32(v.phase()).list(v.votes(), ValueCodec::vote);
        } else if (m instanceof RequestDone d) {
            o.str(d.group());
            ValueCodec.requestId(o, d.request());
            o.u8(d.code().ordinal());
        } else if (m instanceof Snapshot s) {
            o.str(s.group());
            ValueCodec.requestId(o, s.request());
            ValueCodec.view(o, s.view());
        } else if (m instanceof Phase p) {
            o.str(p.group()).i64(p.seq()).i32(p.phase());
            ValueCodec.spec(o, p.spec());
            ValueCodec.view(o, p.before());
            o.opt(p.proposedState(), ValueCodec::state);
            ValueCodec.messages(o, p.votedMessages());
            o.list(p.voters(), ValueCodec::providerId).list(p.deactivateTargets(), ValueCodec::providerId);
            ValueCodec.summary(o, p.summary());
            o.bool(p.deactivateOnly());
        } else if (m instanceof Commit c) {
            o.str(c.group());
            ValueCodec.commit(o, c.entry());
        } else if (m instanceof Msg.Stray) {
            // epoch only
        } else if (m instanceof Msg.LogSeed l) {
            o.str(l.group()).list(l.entries(), ValueCodec::commit);
        } else if (m instanceof Announce a) {
            o.str(a.group());
            ValueCodec.summary(o, a.summary());
            o.list(a.affected(), ValueCodec::providerId);
        }
        return o.toBytes();
    }

    public static Msg decode(byte[] bytes) throws WireFormatException {
        WireIn in = new WireIn(bytes);
        int version = in.u8();
        if (version != VERSION) {
            throw new WireFormatException("format version " + version);
        }
        int tag = in.u8();
        Epoch e = ValueCodec.epoch(in);
        Msg m = switch (tag) {
            case 1 -> new Prepare(e);
            case 2 -> new PrepareNack(e, ValueCodec.epoch(in));
            case 3 -> new Promise(e, in.list(MAX_LIST, ValueCodec::report));
            case 4 -> new FetchLog(e, ValueCodec.groupName(in), in.i64());
            case 5 -> new LogReply(e, ValueCodec.groupName(in), in.list(MAX_LIST, ValueCodec::commit),
                    in.opt(ValueCodec::view));
            case 6 -> new EpochStart(e, in.list(MAX_LIST, ValueCodec::catchUp));
            case 7 -> new Propose(e, ValueCodec.groupName(in), ValueCodec.spec(in));
            case 8 -> new Failed(e, ValueCodec.groupName(in), in.list(MAX_LIST, ValueCodec::leave),
                    in.opt(ValueCodec::requestId));
            case 9 -> new Subscribe(e, ValueCodec.groupName(in), ValueCodec.requestId(in));
            case 10 -> new Unsubscribe(e, ValueCodec.groupName(in));
            case 11 -> new AnnounceRequest(e, ValueCodec.groupName(in), ValueCodec.summary(in),
                    in.list(MAX_LIST, ValueCodec::providerId));
            case 12 -> new Votes(e, ValueCodec.groupName(in), in.i64(), in.i32(), in.list(MAX_LIST, ValueCodec::vote));
            case 13 -> new RequestDone(e, ValueCodec.groupName(in), ValueCodec.requestId(in),
                    in.enumOf(ReturnCode.class));
            case 14 -> new Snapshot(e, ValueCodec.groupName(in), ValueCodec.requestId(in), ValueCodec.view(in));
            case 15 -> new Phase(e, ValueCodec.groupName(in), in.i64(), in.i32(), ValueCodec.spec(in),
                    ValueCodec.view(in), in.opt(ValueCodec::state), ValueCodec.messages(in),
                    in.list(MAX_LIST, ValueCodec::providerId), in.list(MAX_LIST, ValueCodec::providerId),
                    ValueCodec.summary(in), in.bool());
            case 16 -> new Commit(e, ValueCodec.groupName(in), ValueCodec.commit(in));
            case 17 -> new Announce(e, ValueCodec.groupName(in), ValueCodec.summary(in),
                    in.list(MAX_LIST, ValueCodec::providerId));
            case 19 -> new Msg.Stray(e);
            case 18 -> new Msg.LogSeed(e, ValueCodec.groupName(in), in.list(MAX_LIST, ValueCodec::commit));
            default -> throw new WireFormatException("unknown message tag " + tag);
        };
        in.end();
        return m;
    }

    private static int tag(Msg m) {
        if (m instanceof Prepare) {
            return 1;
        } else if (m instanceof PrepareNack) {
            return 2;
        } else if (m instanceof Promise) {
            return 3;
        } else if (m instanceof FetchLog) {
            return 4;
        } else if (m instanceof LogReply) {
            return 5;
        } else if (m instanceof EpochStart) {
            return 6;
        } else if (m instanceof Propose) {
            return 7;
        } else if (m instanceof Failed) {
            return 8;
        } else if (m instanceof Subscribe) {
            return 9;
        } else if (m instanceof Unsubscribe) {
            return 10;
        } else if (m instanceof AnnounceRequest) {
            return 11;
        } else if (m instanceof Votes) {
            return 12;
        } else if (m instanceof RequestDone) {
            return 13;
        } else if (m instanceof Snapshot) {
            return 14;
        } else if (m instanceof Phase) {
            return 15;
        } else if (m instanceof Commit) {
            return 16;
        } else if (m instanceof Msg.LogSeed) {
            return 18;
        } else if (m instanceof Msg.Stray) {
            return 19;
        }
        return 17; // Announce
    }
}
