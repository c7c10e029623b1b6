package org.edgeha.gs.engine.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.spi.NodeId;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The link layer's frame handling under any sequence of frames (raw bytes, or well-formed frames of a few peers
 * with any numbers), sends, timer runs and presence changes: it never throws, delivers each peer incarnation's
 * payloads at most once and in their sequence order, and answers one frame with a bounded number of frames.
 */
class ReliableLinksFuzzTest {

    private static final NodeId SELF = new NodeId(1, 5);

    @FuzzTest(maxDuration = "30s")
    void frames(FuzzedDataProvider data) {
        VirtualScheduler scheduler = new VirtualScheduler();
        List<byte[]> published = new ArrayList<>();
        Map<NodeId, Long> lastDelivered = new HashMap<>();
        ReliableLinks links = new ReliableLinks(new RecordingTransport(SELF, published), scheduler, EngineConfig.forNode(1),
                new EngineStats(), EngineLog.NONE, new ReliableLinks.Upcalls() {
                    @Override
                    public void deliver(NodeId from, byte[] payload) {
                        if (payload.length == Long.BYTES) { // built below: the payload is its own sequence number
                            long seq = ByteBuffer.wrap(payload).getLong();
                            Long last = lastDelivered.put(from, seq);
                            assertTrue(last == null || seq > last, "out of order or twice: " + seq + " after " + last);
                        }
                    }

                    @Override
                    public void superseded(NodeId old) {
                    }
                });
        links.reset(SELF);
        int sent = 0;
        while (data.remainingBytes() > 0) {
            int before = published.size();
            switch (data.consumeInt(0, 6)) {
                case 0 -> links.receive(data.consumeBytes(64));
                case 1, 2 -> {
                    int kind = data.consumeInt(Envelope.DATA, Envelope.HELLO);
                    NodeId from = peer(data);
                    NodeId to = data.consumeInt(0, 7) == 0 ? peer(data) : SELF;
                    long seq = data.consumeBoolean() ? data.consumeLong(0, 40) : data.consumeLong(0, Long.MAX_VALUE);
                    long ack = data.consumeBoolean() ? data.consumeLong(0, 40) : data.consumeLong(0, Long.MAX_VALUE);
                    if (kind == Envelope.DATA && seq == 0) {
                        seq = 1;
                    }
                    byte[] payload = kind == Envelope.DATA ? ByteBuffer.allocate(Long.BYTES).putLong(seq).array() : null;
                    links.receive(new Envelope(kind, from, to, seq, ack, payload).encode());
                    assertTrue(published.size() - before <= sent + 2, "one frame answered by "
                            + (published.size() - before) + " frames");
                }
                case 3 -> {
                    links.send(peer(data), data.consumeBytes(16));
                    sent++;
                }
                case 4 -> scheduler.advance(data.consumeLong(0, 5_000));
                case 5 -> {
                    NodeId p = peer(data);
                    if (data.consumeBoolean()) {
                        links.peerDown(p);
                    } else {
                        links.peerUp(p);
                    }
                }
                default -> links.hello(List.of(peer(data), peer(data)));
            }
        }
        scheduler.advance(10_000);
    }

    private static NodeId peer(FuzzedDataProvider data) {
        return new NodeId(data.consumeInt(1, 3), data.consumeLong(1, 3));
    }

    /** Virtual time: tasks run when the test advances the clock. */
    private static final class VirtualScheduler implements Scheduler {
        private record Task(long at, long order, Runnable run, boolean[] cancelled) {
        }

        private final PriorityQueue<Task> tasks = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        private long now;
        private long order;

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            boolean[] cancelled = {false};
            tasks.add(new Task(now + delayMillis, order++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        void advance(long millis) {
            long until = now + millis;
            int ran = 0;
            while (!tasks.isEmpty() && tasks.peek().at <= until && ran++ < 1_000) {
                Task t = tasks.poll();
                now = t.at;
                if (!t.cancelled[0]) {
                    t.run.run();
                }
            }
            now = until;
        }
    }
}
