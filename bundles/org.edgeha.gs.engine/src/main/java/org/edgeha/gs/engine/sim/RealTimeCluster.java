package org.edgeha.gs.engine.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.RealTimeScheduler;
import org.edgeha.gs.engine.node.GsNode;

/**
 * Gateways on an in-memory network in real time, with real threads: the network and engine timers on
 * one scheduler thread ({@code gs-net}), callbacks on a pool ({@code gs-callback-N}). For tests of
 * threading and blocking calls, and for the benchmarks; everything else runs in virtual time.
 */
public final class RealTimeCluster implements AutoCloseable {

    public static final String NETWORK_THREAD = "gs-net";
    public static final String CALLBACK_THREAD = "gs-callback-";

    private final RealTimeScheduler scheduler = new RealTimeScheduler(NETWORK_THREAD, EngineLog.NONE);
    private final ExecutorService callbacks;
    private final List<GsNode> nodes = new ArrayList<>();

    public RealTimeCluster(int size) {
        this(size, SimFaults.NONE);
    }

    public RealTimeCluster(int size, SimFaults faults) {
        AtomicInteger n = new AtomicInteger();
        callbacks = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, CALLBACK_THREAD + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SimNetwork network = new SimNetwork(scheduler, 1, faults);
        for (int i = 1; i <= size; i++) {
            InMemoryTransport t = network.transport(i);
            GsNode node = new GsNode(EngineConfig.forNode(i), t, t.scheduler(), callbacks, EngineLog.NONE);
            node.start();
            nodes.add(node);
        }
    }

    public GsNode node(int n) {
        return nodes.get(n - 1);
    }

    @Override
    public void close() {
        nodes.forEach(GsNode::stop);
        scheduler.close();
        callbacks.shutdownNow();
    }
}
