package org.edgeha.gs.engine.link;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.sim.VirtualScheduler;
import org.edgeha.gs.spi.NodeId;
import org.junit.Test;

/** Two link layers joined by queues the test controls, in virtual time. */
public class ReliableLinksTest {

    private static final NodeId A = new NodeId(1, 5);
    private static final NodeId B = new NodeId(2, 7);

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final Deque<byte[]> toA = new ArrayDeque<>();
    private final Deque<byte[]> toB = new ArrayDeque<>();

    @Test
    public void framesAheadOfAGapBeyondTheLimitAreDroppedAndArriveInOrderOnceTheGapIsFilled() {
        List<Integer> delivered = new ArrayList<>();
        EngineStats statsB = new EngineStats();
        ReliableLinks a = links(A, toB, new EngineStats(), p -> { });
        ReliableLinks b = links(B, toA, statsB, p -> delivered.add(ByteBuffer.wrap(p).getInt()));
        a.peerUp(B);
        b.peerUp(A);
        int frames = 3_000; // 1 KiB each: three times the limit
        for (int i = 1; i <= frames; i++) {
            a.send(B, ByteBuffer.allocate(1024).putInt(i).array());
        }
        toB.pollFirst(); // frame 1 is lost

        long mostHeld = 0;
        while (!toB.isEmpty()) {
            b.receive(toB.pollFirst());
            mostHeld = Math.max(mostHeld, b.earlyBytes(A));
        }
        assertTrue("held back " + mostHeld + " bytes", mostHeld <= ReliableLinks.MAX_EARLY_BYTES
                && mostHeld > ReliableLinks.MAX_EARLY_BYTES - 1024);
        assertEquals(frames - 1 - ReliableLinks.MAX_EARLY_BYTES / 1024, statsB.earlyDropped.get());
        assertEquals("nothing delivered past the gap", List.of(), delivered);

        for (int round = 0; round < 100 && (!toA.isEmpty() || !toB.isEmpty() || delivered.size() < frames); round++) {
            while (!toA.isEmpty() || !toB.isEmpty()) {
                if (!toA.isEmpty()) {
                    a.receive(toA.pollFirst()); // the NACK for frame 1, acknowledgements
                }
                if (!toB.isEmpty()) {
                    b.receive(toB.pollFirst()); // frames sent again
                }
            }
            scheduler.runFor(1_000); // acknowledgement and probe timers
        }
        assertEquals("every frame once, in order", IntStream.rangeClosed(1, frames).boxed().collect(Collectors.toList()),
                delivered);
        assertEquals(0, b.earlyBytes(A));
    }

    private ReliableLinks links(NodeId self, Deque<byte[]> peer, EngineStats stats, Consumer<byte[]> deliver) {
        ReliableLinks links = new ReliableLinks(new RecordingTransport(self, peer), scheduler,
                EngineConfig.forNode(self.node()), stats, EngineLog.NONE, new ReliableLinks.Upcalls() {
                    @Override
                    public void deliver(NodeId from, byte[] payload) {
                        deliver.accept(payload);
                    }

                    @Override
                    public void superseded(NodeId old) {
                    }
                });
        links.reset(self);
        return links;
    }
}
