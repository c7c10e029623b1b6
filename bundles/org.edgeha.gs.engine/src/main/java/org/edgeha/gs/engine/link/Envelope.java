package org.edgeha.gs.engine.link;

import org.edgeha.gs.engine.wire.WireFormatException;
import org.edgeha.gs.engine.wire.WireIn;
import org.edgeha.gs.engine.wire.WireOut;
import org.edgeha.gs.spi.NodeId;

/**
 * The link layer's frame. {@code DATA} carries a payload numbered {@code seq} in the stream from
 * {@code from} to {@code to}, and acknowledges the reverse stream up to {@code ack}. {@code ACK}
 * only acknowledges; {@code NACK} asks for everything from {@code seq}; {@code HELLO}, sent after a
 * (re)connection, says "I sent you up to {@code seq} and have everything of yours up to {@code ack}".
 */
record Envelope(int kind, NodeId from, NodeId to, long seq, long ack, byte[] payload) {

    static final int DATA = 1;
    static final int ACK = 2;
    static final int NACK = 3;
    static final int HELLO = 4;

    private static final int MAGIC = 0x47;
    /** Largest payload accepted: generous for a catch-up of many protocols with large state values. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    byte[] encode() {
        WireOut o = new WireOut().u8(MAGIC).u8(kind).i32(from.node()).i64(from.incarnation()).i32(to.node())
                .i64(to.incarnation()).i64(seq).i64(ack);
        if (kind == DATA) {
            o.bytes(payload);
        }
        return o.toBytes();
    }

    static Envelope decode(byte[] bytes) throws WireFormatException {
        WireIn in = new WireIn(bytes);
        if (in.u8() != MAGIC) {
            throw new WireFormatException("not a Group Services frame");
        }
        int kind = in.u8();
        if (kind < DATA || kind > HELLO) {
            throw new WireFormatException("bad frame kind " + kind);
        }
        NodeId from = node(in);
        NodeId to = node(in);
        long seq = in.i64();
        long ack = in.i64();
        if (seq < 0 || ack < 0) {
            throw new WireFormatException("negative sequence number");
        }
        byte[] payload = kind == DATA ? in.bytes(MAX_PAYLOAD) : null;
        in.end();
        if (kind == DATA && seq == 0) {
            throw new WireFormatException("data frame without sequence number");
        }
        return new Envelope(kind, from, to, seq, ack, payload);
    }

    private static NodeId node(WireIn in) throws WireFormatException {
        int n = in.i32();
        long inc = in.i64();
        if (n <= 0 || inc <= 0) {
            throw new WireFormatException("bad node id");
        }
        return new NodeId(n, inc);
    }
}
