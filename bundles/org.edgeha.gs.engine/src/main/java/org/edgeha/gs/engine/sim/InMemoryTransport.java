package org.edgeha.gs.engine.sim;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;

/**
 * One node's attachment to a {@link SimNetwork}. Also the transport of a gateway that runs without a
 * broker: a one-node network delivers to itself at once.
 */
public final class InMemoryTransport implements GsTransport {

    final SimNetwork network;
    final int node;
    volatile NodeId id;
    volatile TransportListener listener;
    final Set<String> filters = new CopyOnWriteArraySet<>();
    volatile boolean connected;
    volatile boolean dead;
    volatile boolean expired;
    Scheduler.Cancellable willTimer;

    InMemoryTransport(SimNetwork network, NodeId id) {
        this.network = network;
        this.node = id.node();
        this.id = id;
    }

    @Override
    public NodeId localNode() {
        return id;
    }

    @Override
    public void start(TransportListener l) {
        network.attach(this, l);
    }

    @Override
    public void subscribe(String topicFilter) {
        filters.add(topicFilter);
    }

    @Override
    public void publish(String topic, byte[] payload) {
        network.publish(this, topic, payload.clone());
    }

    @Override
    public void stop() {
        network.leave(this);
    }

    /**
     * @return a scheduler whose tasks stop running when this node crashes: the engine of a crashed node
     *     must do nothing more
     */
    public Scheduler scheduler() {
        Scheduler base = network.scheduler;
        return new Scheduler() {
            @Override
            public long nowMillis() {
                return base.nowMillis();
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return base.schedule(delayMillis, () -> {
                    if (!dead) {
                        task.run();
                    }
                });
            }
        };
    }

    boolean matches(String topic) {
        for (String f : filters) {
            if (SimNetwork.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + id + (dead ? ", crashed" : connected ? "" : ", disconnected") + "]";
    }
}
