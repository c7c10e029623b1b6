package org.edgeha.gs.engine.sim;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.node.GsNode;

/**
 * N gateways on one simulated network in virtual time, for tests. Everything is determined by the
 * seed; a failing test prints it, and {@code -Dgs.seed=N} replays it.
 */
public final class SimCluster {

    public final long seed;
    public final VirtualScheduler scheduler = new VirtualScheduler();
    public final SimNetwork network;
    public final EventLog events;
    private final Map<Integer, GsNode> nodes = new TreeMap<>();
    private final Map<Integer, InMemoryTransport> transports = new TreeMap<>();
    private final List<GsNode> everyNode = new ArrayList<>();
    private final EngineLog log;
    private final java.util.function.IntFunction<EngineConfig> configs;

    public SimCluster(long seed, int size, SimFaults faults) {
        this(seed, size, faults, EngineLog.NONE);
    }

    public SimCluster(long seed, int size, SimFaults faults, EngineLog log) {
        this(seed, size, faults, log, EngineConfig::forNode);
    }

    /** With each gateway's engine configuration from {@code configs} (node number to configuration). */
    public SimCluster(long seed, int size, SimFaults faults, EngineLog log,
            java.util.function.IntFunction<EngineConfig> configs) {
        this.configs = configs;
        this.seed = seed;
        this.network = new SimNetwork(scheduler, seed, faults);
        this.events = new EventLog(scheduler);
        this.log = log;
        for (int i = 1; i <= size; i++) {
            start(i);
        }
    }

    /** Starts (or restarts, after a crash) gateway {@code n} with a new incarnation. */
    public GsNode start(int n) {
        InMemoryTransport t = network.transport(n);
        GsNode node = new GsNode(configs.apply(n), t, t.scheduler(), t.scheduler()::execute, logFor(n));
        node.start();
        nodes.put(n, node);
        transports.put(n, t);
        everyNode.add(node);
        return node;
    }

    private EngineLog logFor(int n) {
        if (!Boolean.getBoolean("gs.debug")) {
            return log;
        }
        return new EngineLog() {
            private void print(String level, String m) {
                System.out.println("t=" + scheduler.nowMillis() + " node " + n + " " + level + " " + m);
            }

            @Override
            public void debug(java.util.function.Supplier<String> m) {
                print("DEBUG", m.get());
            }

            @Override
            public void info(String m) {
                print("INFO", m);
            }

            @Override
            public void warn(String m) {
                print("WARN", m);
            }

            @Override
            public void error(String m, Throwable t) {
                print("ERROR", m + ": " + t);
            }
        };
    }

    public void crash(int n) {
        network.crash(n);
    }

    public GsNode restart(int n) {
        network.crash(n);
        return start(n);
    }

    public GsNode node(int n) {
        return nodes.get(n);
    }

    public List<Integer> nodeNumbers() {
        return new ArrayList<>(nodes.keySet());
    }

    public boolean isAlive(int n) {
        return !transports.get(n).dead;
    }

    public GsClient client(int n, String name) {
        return node(n).init(ClientOptions.named(name));
    }

    public void runFor(long millis) {
        scheduler.runFor(millis);
    }

    /** Runs until {@code done} holds; fails (naming the seed) if it does not within {@code maxMillis}. */
    public void await(String what, BooleanSupplier done, long maxMillis) {
        assertTrue(what + " (seed " + seed + ")", scheduler.runUntil(done, maxMillis));
    }

    /** @return gateway {@code n}'s view of the group, or {@code null} */
    public GroupView view(int n, String group) {
        return node(n).group(group).orElse(null);
    }

    /** @return every engine this cluster started, crashed ones included */
    public List<GsNode> allNodes() {
        return List.copyOf(everyNode);
    }

    /** Fails if any gateway, crashed ones included, caught an internal error or found views out of step. */
    public void assertHealthy() {
        for (GsNode n : everyNode) {
            org.junit.Assert.assertEquals("internal errors at node " + n.nodeNumber() + " (seed " + seed + ")", 0,
                    n.stats().internalErrors.get());
            org.junit.Assert.assertEquals("views out of step at node " + n.nodeNumber() + " (seed " + seed + ")", 0,
                    n.stats().divergences.get());
        }
    }

    public String describe() {
        StringBuilder b = new StringBuilder("seed " + seed + " at t=" + scheduler.nowMillis() + "ms; "
                + network.counters());
        for (Map.Entry<Integer, GsNode> e : nodes.entrySet()) {
            b.append("\n  node ").append(e.getKey()).append(isAlive(e.getKey()) ? "" : " (crashed)").append(": ")
                    .append(e.getValue().groups());
        }
        return b.toString();
    }
}
