package org.edgeha.gs.engine.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;

/**
 * An MQTT-like network in one JVM, driven by a {@link Scheduler} (virtual time in tests) and a seeded
 * {@link Random}: random delays that keep order only per publisher and topic, duplicate deliveries,
 * messages lost while a node is disconnected, a will delay after which a disconnected node is
 * declared down and comes back with a new incarnation, crashes and restarts.
 *
 * <p>Thread-safe for use with a real-time scheduler (one gateway without a broker): every method
 * synchronises on the network.
 */
public final class SimNetwork {

    final Scheduler scheduler;
    private final Random random;
    private SimFaults faults;
    private final Map<Integer, InMemoryTransport> nodes = new TreeMap<>();
    private final Map<Integer, Long> incarnations = new TreeMap<>();
    private final Set<NodeId> up = new TreeSet<>();
    private final Map<String, Long> lastDelivery = new HashMap<>();
    private long published;
    private long lost;
    private long duplicated;

    public SimNetwork(Scheduler scheduler, long seed, SimFaults faults) {
        this.scheduler = scheduler;
        this.random = new Random(seed);
        this.faults = faults;
    }

    public synchronized void faults(SimFaults f) {
        this.faults = f;
    }

    /** @return a transport for a new incarnation of {@code node} (its previous one, if any, is gone) */
    public synchronized InMemoryTransport transport(int node) {
        long inc = incarnations.merge(node, 1L, Long::sum);
        InMemoryTransport old = nodes.get(node);
        if (old != null) {
            old.dead = true;
            old.connected = false;
        }
        InMemoryTransport t = new InMemoryTransport(this, new NodeId(node, inc));
        nodes.put(node, t);
        return t;
    }

    synchronized void attach(InMemoryTransport t, TransportListener l) {
        t.listener = l;
        if (t.dead || nodes.get(t.node) != t) {
            return;
        }
        t.connected = true;
        up.removeIf(n -> n.node() == t.node);
        up.add(t.id);
        NodeId id = t.id;
        control(t, () -> l.connected(id, false));
        presenceChanged();
    }

    synchronized void leave(InMemoryTransport t) {
        boolean wasUp = up.remove(t.id);
        t.connected = false;
        t.dead = true;
        if (wasUp) {
            presenceChanged();
        }
    }

    /** The node's process dies: nothing more from it; its peers hear of it after the crash detection delay. */
    public synchronized void crash(int node) {
        InMemoryTransport t = nodes.get(node);
        if (t == null || t.dead) {
            return;
        }
        t.dead = true;
        t.connected = false;
        NodeId id = t.id;
        scheduler.schedule(faults.crashDetectMillis(), () -> {
            synchronized (this) {
                if (up.remove(id)) {
                    presenceChanged();
                }
            }
        });
    }

    /** The node loses its broker connection: messages to and from it are lost until it reconnects. */
    public synchronized void disconnect(int node) {
        InMemoryTransport t = nodes.get(node);
        if (t == null || t.dead || !t.connected) {
            return;
        }
        t.connected = false;
        TransportListener l = t.listener;
        control(t, l::disconnected);
        NodeId id = t.id;
        t.willTimer = scheduler.schedule(faults.willDelayMillis(), () -> {
            synchronized (this) {
                if (!t.connected && t.id.equals(id)) {
                    t.expired = true;
                    if (up.remove(id)) {
                        presenceChanged();
                    }
                }
            }
        });
    }

    /** The node reconnects: within the will delay it keeps its identity, else it gets a new incarnation. */
    public synchronized void reconnect(int node) {
        InMemoryTransport t = nodes.get(node);
        if (t == null || t.dead || t.connected) {
            return;
        }
        if (t.willTimer != null) {
            t.willTimer.cancel();
        }
        t.connected = true;
        boolean resumed = !t.expired;
        if (t.expired) {
            t.expired = false;
            t.id = new NodeId(node, incarnations.merge(node, 1L, Long::sum));
            up.add(t.id);
        }
        NodeId id = t.id;
        TransportListener l = t.listener;
        control(t, () -> l.connected(id, resumed));
        presenceChanged();
    }

    public synchronized boolean isConnected(int node) {
        InMemoryTransport t = nodes.get(node);
        return t != null && t.connected;
    }

    public synchronized Set<NodeId> up() {
        return java.util.Collections.unmodifiableSet(new TreeSet<>(up));
    }

    synchronized void publish(InMemoryTransport from, String topic, byte[] payload) {
        published++;
        if (!from.connected || from.dead) {
            lost++;
            return;
        }
        NodeId sender = from.id;
        for (InMemoryTransport to : nodes.values()) {
            if (to.dead || !to.matches(topic)) {
                continue;
            }
            String key = sender + "|" + topic + "|" + to.id;
            long at = scheduler.nowMillis() + delay(faults.minDelayMillis(), faults.maxDelayMillis());
            at = Math.max(at, lastDelivery.getOrDefault(key, 0L));
            lastDelivery.put(key, at);
            deliverAt(to, at, topic, payload);
            if (faults.duplicateRate() > 0 && random.nextDouble() < faults.duplicateRate()) {
                duplicated++;
                deliverAt(to, at + delay(0, faults.maxDelayMillis() * 4 + 1), topic, payload);
            }
        }
    }

    private void deliverAt(InMemoryTransport to, long at, String topic, byte[] payload) {
        NodeId target = to.id;
        scheduler.schedule(at - scheduler.nowMillis(), () -> {
            TransportListener l;
            synchronized (this) {
                if (to.dead || !to.connected || !to.id.equals(target)) {
                    lost++;
                    return;
                }
                l = to.listener;
            }
            l.message(topic, payload);
        });
    }

    private void presenceChanged() {
        Set<NodeId> view = java.util.Collections.unmodifiableSet(new TreeSet<>(up));
        for (InMemoryTransport t : nodes.values()) {
            if (!t.dead && t.connected && t.listener != null) {
                TransportListener l = t.listener;
                control(t, () -> l.presence(view));
            }
        }
    }

    /** Connection and presence events reach each node in the order they happened, after a random delay. */
    private void control(InMemoryTransport t, Runnable event) {
        String key = "control|" + t.node;
        long at = Math.max(scheduler.nowMillis() + delay(0, faults.presenceDelayMillis()), lastDelivery.getOrDefault(key, 0L));
        lastDelivery.put(key, at);
        scheduler.schedule(at - scheduler.nowMillis(), () -> {
            if (!t.dead) {
                event.run();
            }
        });
    }

    private long delay(long min, long max) {
        return max <= min ? min : min + (long) (random.nextDouble() * (max - min + 1));
    }

    static boolean matches(String filter, String topic) {
        if (filter.equals(topic) || filter.equals("#")) {
            return true;
        }
        if (filter.indexOf('+') < 0 && filter.indexOf('#') < 0) {
            // No wildcard: only the same topic matches. Every publish is matched against every node's filter,
            // so splitting here made each protocol cost (engines)² string splits.
            return false;
        }
        String[] f = filter.split("/");
        String[] t = topic.split("/");
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** @return messages published, lost (sender or receiver away) and duplicated, for test reports */
    public synchronized String counters() {
        return "published " + published + ", lost " + lost + ", duplicated " + duplicated;
    }
}
