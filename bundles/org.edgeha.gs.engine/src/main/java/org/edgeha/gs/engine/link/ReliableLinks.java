package org.edgeha.gs.engine.link;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.engine.wire.WireFormatException;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;

/**
 * Exactly-once, in-order delivery between live gateway incarnations over a transport that only keeps
 * order per publisher and topic, may duplicate, and loses messages while either side is disconnected.
 *
 * <p>Each (sender, receiver) pair has its own numbered stream on the receiver's topic. The receiver
 * delivers in sequence, drops duplicates, holds early messages and asks for the gap ({@code NACK});
 * the sender keeps every message until it is acknowledged and sends it again when asked, or when a
 * {@code HELLO} after a reconnection shows the peer missed it. Acknowledgements ride on traffic the
 * other way, or go alone after a short delay. A stream ends with its incarnation: a newer incarnation
 * of a peer supersedes the older one, and a peer reported down is never heard again.
 *
 * <p>Not thread-safe: the engine calls it under its lock, and gives it a scheduler whose tasks take
 * that lock.
 */
public final class ReliableLinks {

    /** What the link layer reports upwards. */
    public interface Upcalls {
        /** A payload from {@code from}, in order, once. */
        void deliver(NodeId from, byte[] payload);

        /** A newer incarnation of {@code old}'s node has spoken: {@code old} is gone. */
        void superseded(NodeId old);
    }

    private static final class OutStream {
        long next = 1;
        long progressAt;
        final Deque<Envelope> unacked = new ArrayDeque<>();
    }

    private static final class InStream {
        long expected = 1;
        long nackedAt;
        int unacked;
        final TreeMap<Long, byte[]> early = new TreeMap<>();
        long earlyBytes;
    }

    /**
     * The most payload bytes held back per peer stream while a gap is open. Without a limit a faulty peer (one
     * holding the domain key) could make a gateway hold any number of frames. Dropping beyond it loses nothing: the
     * sender keeps every frame until it is acknowledged and sends it again after the NACK for the gap.
     */
    static final long MAX_EARLY_BYTES = 1 << 20;

    private final GsTransport transport;
    private final Scheduler scheduler;
    private final EngineConfig config;
    private final EngineStats stats;
    private final EngineLog log;
    private final Upcalls upcalls;
    private final Map<NodeId, OutStream> out = new TreeMap<>();
    private final Map<NodeId, InStream> in = new TreeMap<>();
    private final Map<Integer, Long> newest = new TreeMap<>();
    private final Map<Integer, Long> deadUpTo = new TreeMap<>();
    private NodeId self;
    private Scheduler.Cancellable ackTimer;
    private Scheduler.Cancellable probeTimer;

    public ReliableLinks(GsTransport transport, Scheduler scheduler, EngineConfig config, EngineStats stats,
            EngineLog log, Upcalls upcalls) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.config = config;
        this.stats = stats;
        this.log = log;
        this.upcalls = upcalls;
    }

    /** @return the payload bytes held back from {@code peer} while a gap is open (for tests) */
    long earlyBytes(NodeId peer) {
        InStream s = in.get(peer);
        return s == null ? 0 : s.earlyBytes;
    }

    public static String topicFor(int node) {
        return "gs/node/" + node;
    }

    /** Takes a new identity: every stream of the previous one ends. */
    public void reset(NodeId newSelf) {
        self = newSelf;
        out.clear();
        in.clear();
        newest.put(newSelf.node(), newSelf.incarnation());
    }

    /** After a (re)connection: tell each peer how far both streams got, so gaps are filled both ways. */
    public void hello(Collection<NodeId> peers) {
        for (NodeId p : peers) {
            if (!p.equals(self) && isCurrent(p)) {
                OutStream o = out.get(p);
                publish(new Envelope(Envelope.HELLO, self, p, o == null ? 0 : o.next - 1, ackFor(p), null));
            }
        }
    }

    /** A peer was reported down: forget it, and never accept its messages again. */
    public void peerDown(NodeId peer) {
        deadUpTo.merge(peer.node(), peer.incarnation(), Math::max);
        out.remove(peer);
        in.remove(peer);
    }

    /** A peer was reported up: a newer incarnation supersedes older ones. */
    public void peerUp(NodeId peer) {
        noteIncarnation(peer);
    }

    public void send(NodeId to, byte[] payload) {
        if (self == null || !isCurrent(to) || isDead(to)) {
            return; // the peer is gone; the protocol layer handles its failure
        }
        OutStream o = out.computeIfAbsent(to, k -> new OutStream());
        Envelope e = new Envelope(Envelope.DATA, self, to, o.next++, ackFor(to), payload);
        if (o.unacked.isEmpty()) {
            o.progressAt = scheduler.nowMillis();
        }
        o.unacked.addLast(e);
        publish(e);
        scheduleProbe();
    }

    public void receive(byte[] bytes) {
        Envelope e;
        try {
            e = Envelope.decode(bytes);
        } catch (WireFormatException ex) {
            stats.malformed.incrementAndGet();
            log.debug(() -> "dropped malformed frame: " + ex.getMessage());
            return;
        }
        if (self == null || !e.to().equals(self) || isDead(e.from()) || e.from().node() == self.node()) {
            stats.stale.incrementAndGet();
            log.debug(() -> "link: dropped frame " + e.kind() + "#" + e.seq() + " from " + e.from() + " to " + e.to()
                    + (isDead(e.from()) ? " (sender dead)" : ""));
            return;
        }
        if (!noteIncarnation(e.from())) {
            stats.stale.incrementAndGet();
            log.debug(() -> "link: dropped frame from superseded " + e.from());
            return;
        }
        prune(e.from(), e.kind() == Envelope.NACK ? e.seq() - 1 : e.ack());
        switch (e.kind()) {
            case Envelope.DATA -> data(e);
            case Envelope.NACK -> retransmit(e.from(), e.seq());
            case Envelope.HELLO -> {
                retransmit(e.from(), e.ack() + 1);
                InStream s = in.computeIfAbsent(e.from(), k -> new InStream());
                if (s.expected <= e.seq()) {
                    nack(e.from(), s, true);
                } else {
                    ack(e.from(), s);
                }
            }
            default -> { } // ACK: pruned above
        }
    }

    private void data(Envelope e) {
        InStream s = in.computeIfAbsent(e.from(), k -> new InStream());
        if (e.seq() < s.expected || s.early.containsKey(e.seq())) {
            stats.duplicates.incrementAndGet();
            s.unacked++;
            scheduleAck();
            return;
        }
        if (e.seq() > s.expected) {
            if (!s.early.isEmpty() && s.earlyBytes + e.payload().length > MAX_EARLY_BYTES) {
                stats.earlyDropped.incrementAndGet();
                log.debug(() -> "link: frame " + e.seq() + " from " + e.from() + " early, expecting " + s.expected
                        + ", and " + s.earlyBytes + " bytes already held back: dropped until sent again");
            } else {
                log.debug(() -> "link: frame " + e.seq() + " from " + e.from() + " early, expecting " + s.expected);
                s.early.put(e.seq(), e.payload());
                s.earlyBytes += e.payload().length;
            }
            nack(e.from(), s, false);
            return;
        }
        s.expected++;
        s.unacked++;
        upcalls.deliver(e.from(), e.payload());
        while (in.get(e.from()) == s && !s.early.isEmpty() && s.early.firstKey() == s.expected) {
            byte[] next = s.early.pollFirstEntry().getValue();
            s.earlyBytes -= next.length;
            s.expected++;
            s.unacked++;
            upcalls.deliver(e.from(), next);
        }
        if (s.unacked >= config.ackEvery()) {
            ack(e.from(), s);
        } else {
            scheduleAck();
        }
    }

    private void nack(NodeId from, InStream s, boolean force) {
        if (force || s.nackedAt != s.expected) {
            s.nackedAt = s.expected;
            publish(new Envelope(Envelope.NACK, self, from, s.expected, 0, null));
        }
    }

    private void retransmit(NodeId to, long fromSeq) {
        OutStream o = out.get(to);
        if (o == null) {
            return;
        }
        for (Envelope e : o.unacked) {
            if (e.seq() >= fromSeq) {
                stats.retransmitted.incrementAndGet();
                publish(new Envelope(Envelope.DATA, self, to, e.seq(), ackFor(to), e.payload()));
            }
        }
    }

    private void prune(NodeId peer, long ackedUpTo) {
        OutStream o = out.get(peer);
        while (o != null && !o.unacked.isEmpty() && o.unacked.peekFirst().seq() <= ackedUpTo) {
            o.unacked.pollFirst();
            o.progressAt = scheduler.nowMillis();
        }
    }

    private void scheduleProbe() {
        if (probeTimer == null) {
            probeTimer = scheduler.schedule(config.probeMillis(), this::probe);
        }
    }

    /** Peers that leave messages unacknowledged too long are asked (by a HELLO) what they miss. */
    private void probe() {
        probeTimer = null;
        long now = scheduler.nowMillis();
        boolean pending = false;
        for (Map.Entry<NodeId, OutStream> e : out.entrySet()) {
            OutStream o = e.getValue();
            if (!o.unacked.isEmpty()) {
                pending = true;
                if (now - o.progressAt >= config.probeMillis()) {
                    o.progressAt = now;
                    publish(new Envelope(Envelope.HELLO, self, e.getKey(), o.next - 1, ackFor(e.getKey()), null));
                }
            }
        }
        if (pending) {
            scheduleProbe();
        }
    }

    private long ackFor(NodeId peer) {
        InStream s = in.get(peer);
        if (s == null) {
            return 0;
        }
        s.unacked = 0;
        return s.expected - 1;
    }

    private void ack(NodeId peer, InStream s) {
        publish(new Envelope(Envelope.ACK, self, peer, 0, ackFor(peer), null));
    }

    private void scheduleAck() {
        if (ackTimer == null) {
            ackTimer = scheduler.schedule(config.ackDelayMillis(), this::flushAcks);
        }
    }

    private void flushAcks() {
        ackTimer = null;
        for (Map.Entry<NodeId, InStream> e : in.entrySet()) {
            if (e.getValue().unacked > 0) {
                ack(e.getKey(), e.getValue());
            }
        }
    }

    private void publish(Envelope e) {
        transport.publish(topicFor(e.to().node()), e.encode());
    }

    private boolean isDead(NodeId n) {
        Long dead = deadUpTo.get(n.node());
        return dead != null && n.incarnation() <= dead;
    }

    private boolean isCurrent(NodeId n) {
        Long cur = newest.get(n.node());
        return cur == null || cur <= n.incarnation();
    }

    /** @return false if {@code n} is older than an incarnation already seen */
    private boolean noteIncarnation(NodeId n) {
        Long cur = newest.get(n.node());
        if (cur != null && cur > n.incarnation()) {
            return false;
        }
        if (cur != null && cur < n.incarnation()) {
            NodeId old = new NodeId(n.node(), cur);
            out.remove(old);
            in.remove(old);
            deadUpTo.merge(n.node(), cur, Math::max);
            newest.put(n.node(), n.incarnation());
            if (self == null || n.node() != self.node()) {
                upcalls.superseded(old);
            }
        } else if (cur == null) {
            newest.put(n.node(), n.incarnation());
        }
        return true;
    }
}
