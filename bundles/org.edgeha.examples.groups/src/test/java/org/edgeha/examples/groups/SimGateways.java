package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.node.GsNode;
import org.edgeha.gs.engine.node.Hooks;
import org.edgeha.gs.engine.sim.InMemoryTransport;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.SimNetwork;
import org.edgeha.gs.engine.sim.VirtualScheduler;

/**
 * Gateways on the engine's simulated network, in virtual time, built from the engine's public classes
 * as its own test fixture ({@code SimCluster}, test code of that module) builds them: messages delayed,
 * duplicated and reordered as on a LAN, everything decided by the seed. Callbacks run on the scheduler,
 * so nothing happens between two calls of the test thread except inside {@link #await} and
 * {@link #runFor}.
 *
 * <p>{@link #register} stands in for the engine's whiteboard ({@code ProviderWhiteboard}, package-private
 * there): it reads the group and instance from the service properties, joins through the gateway's
 * {@value GsWhiteboard#WHITEBOARD_CLIENT_NAME} client with the provider's attributes and hands the
 * provider its client and token before its first notification, and {@code detached} when the engine ends
 * its membership (not when the test stops it: there is no unregistering here). Delayed-error callbacks added with
 * {@link #addDelayedErrorCallback} serve every client, as a whiteboard service without
 * {@code gs.client.name} does.
 */
final class SimGateways {

    final VirtualScheduler scheduler = new VirtualScheduler();
    private final long seed;
    private final List<GsNode> nodes = new ArrayList<>();
    private final List<GsClient> whiteboardClients = new ArrayList<>();
    private final List<Map<ProviderToken, GroupProvider>> whiteboardProviders = new ArrayList<>();
    private final List<DelayedErrorCallback> errorCallbacks = new CopyOnWriteArrayList<>();

    SimGateways(int size, long seed) {
        this.seed = seed;
        SimNetwork network = new SimNetwork(scheduler, seed, SimFaults.LAN);
        for (int n = 1; n <= size; n++) {
            Map<ProviderToken, GroupProvider> joined = new ConcurrentHashMap<>();
            InMemoryTransport t = network.transport(n);
            GsNode node = new GsNode(EngineConfig.forNode(n), t, t.scheduler(), t.scheduler()::execute, EngineLog.NONE);
            node.hooks(new Hooks() {
                @Override
                public List<DelayedErrorCallback> delayedErrorCallbacks(String clientName) {
                    return List.copyOf(errorCallbacks);
                }

                @Override
                public void providerEnded(String clientName, ProviderToken token) {
                    GroupProvider p = GsWhiteboard.WHITEBOARD_CLIENT_NAME.equals(clientName) ? joined.remove(token) : null;
                    if (p != null) {
                        p.detached(token);
                    }
                }
            });
            whiteboardProviders.add(joined);
            node.start();
            nodes.add(node);
            whiteboardClients.add(node.init(ClientOptions.named(GsWhiteboard.WHITEBOARD_CLIENT_NAME)));
        }
    }

    void addDelayedErrorCallback(DelayedErrorCallback cb) {
        errorCallbacks.add(cb);
    }

    /** Joins {@code provider} at gateway {@code node} as the whiteboard would for a service with these properties. */
    ProviderToken register(int node, GroupProvider provider, Map<String, ?> serviceProperties) {
        GsClient client = whiteboardClients.get(node - 1);
        ProviderToken token = client.join(new JoinRequest((String) serviceProperties.get(GsWhiteboard.GROUP_NAME),
                (Integer) serviceProperties.get(GsWhiteboard.INSTANCE), provider.groupAttributes(),
                String.valueOf(serviceProperties.get(GsWhiteboard.LOCAL_NAME)), provider));
        whiteboardProviders.get(node - 1).put(token, provider);
        provider.attached(client, token); // before any notification: none runs until the scheduler does
        return token;
    }

    /** @return a new client at gateway {@code node} */
    GsClient client(int node, String name) {
        return nodes.get(node - 1).init(ClientOptions.named(name));
    }

    /** @return gateway {@code node}'s view of the group, or {@code null} */
    GroupView view(int node, String group) {
        return nodes.get(node - 1).group(group).orElse(null);
    }

    /**
     * @return whether every gateway with members in the group sees it with {@code members} members, the
     *     same seq and no protocol running (a gateway without members may not know the group at all)
     */
    boolean settled(String group, int members) {
        GroupView any = nodes.stream().map(n -> n.group(group).orElse(null)).filter(v -> v != null).findFirst()
                .orElse(null);
        if (any == null || any.members().size() != members) {
            return false;
        }
        return any.members().stream().allMatch(m -> nodes.get(m.node() - 1).group(group)
                .map(v -> v.seq() == any.seq() && v.members().size() == members && v.running().isEmpty()).orElse(false));
    }

    /** Runs until {@code done} holds; fails, naming the seed, when it does not within {@code maxMillis}. */
    void await(String what, BooleanSupplier done, long maxMillis) {
        assertTrue(what + " (seed " + seed + ")", scheduler.runUntil(done, maxMillis));
    }

    void runFor(long millis) {
        scheduler.runFor(millis);
    }

    /** Fails if a gateway caught an internal error or found views out of step. */
    void assertHealthy() {
        for (GsNode n : nodes) {
            assertEquals("internal errors at node " + n.nodeNumber(), 0, n.stats().internalErrors.get());
            assertEquals("divergences at node " + n.nodeNumber(), 0, n.stats().divergences.get());
        }
    }
}
