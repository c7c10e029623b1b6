package org.edgeha.gs.engine.sim;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.ProviderId;

/**
 * A group on a simulated network: {@code nodes} gateways with {@code perNode} providers each (one
 * client per gateway, shared by its providers), all joined. Providers are named {@code p<node><letter>}
 * ({@code p1a}, {@code p1b}, ...) with instance numbers 1, 2, ...
 */
public final class GroupFixture {

    public final SimCluster c;
    public final String group;
    public final Map<Integer, GsClient> clients = new TreeMap<>();
    public final Map<Integer, List<DelayedErrorNotification>> delayedErrors = new TreeMap<>();
    private final List<TestProvider> providers = new ArrayList<>();
    private final int perNode;

    public GroupFixture(long seed, int nodes, int perNode, String group, GroupAttributes attrs) {
        this(new SimCluster(seed, nodes, SimFaults.LAN), perNode, group, attrs);
    }

    public GroupFixture(SimCluster c, int perNode, String group, GroupAttributes attrs) {
        this.c = c;
        this.group = group;
        this.perNode = perNode;
        for (int n : c.nodeNumbers()) {
            List<DelayedErrorNotification> errors = new ArrayList<>();
            delayedErrors.put(n, errors);
            GsClient client = c.node(n).init(ClientOptions.named("client" + n).withDelayedErrorCallback(errors::add));
            clients.put(n, client);
            for (int i = 1; i <= perNode; i++) {
                providers.add(new TestProvider("p" + n + (char) ('a' + i - 1), client, c.events).join(group, i, attrs));
            }
        }
        if (!providers.isEmpty()) {
            awaitMembers(group, providers.size());
        }
    }

    /** Runs {@code body} for seeds {@code 1..count}, or only {@code -Dgs.seed}; names the failing seed. */
    public static void forSeeds(int count, LongConsumer body) {
        String one = System.getProperty("gs.seed", "");
        if (!one.isBlank()) {
            body.accept(Long.parseLong(one.trim()));
            return;
        }
        for (long seed = 1; seed <= count; seed++) {
            try {
                body.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dgs.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    public TestProvider p(int node, int index) {
        return providers.get((node - 1) * perNode + index - 1);
    }

    public TestProvider p(String name) {
        return providers.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    public List<TestProvider> all() {
        return List.copyOf(providers);
    }

    public ProviderId id(TestProvider p) {
        return new ProviderId(p.client.nodeNumber(), p.name.charAt(p.name.length() - 1) - 'a' + 1);
    }

    /**
     * Waits until the group has {@code members} members, no protocol runs, and every live gateway that
     * hosts a member, or keeps a view, agrees (gateways without members or subscribers keep no view).
     */
    public void awaitMembers(String g, int members) {
        c.await(g + " has " + members + " members everywhere", () -> {
            GroupView first = null;
            for (int n : c.nodeNumbers()) {
                GroupView v = c.isAlive(n) ? c.view(n, g) : null;
                if (v == null) {
                    continue;
                }
                if (v.members().size() != members || v.running().isPresent() || first != null && v.seq() != first.seq()) {
                    return false;
                }
                first = v;
            }
            if (first == null) {
                return false;
            }
            for (ProviderId m : first.members()) {
                if (c.isAlive(m.node()) && c.view(m.node(), g) == null) {
                    return false;
                }
            }
            return true;
        }, 30_000);
        c.runFor(20); // let the callbacks already due run
    }

    /** Runs until no protocol runs anywhere and all live gateways agree on the group. */
    public void settle() {
        c.runFor(50);
        c.await("group settles", () -> {
            GroupView first = null;
            for (int n : c.nodeNumbers()) {
                GroupView v = c.isAlive(n) ? c.view(n, group) : null;
                if (v == null) {
                    continue;
                }
                if (v.running().isPresent() || first != null && v.seq() != first.seq()) {
                    return false;
                }
                first = v;
            }
            return true;
        }, 60_000);
        c.runFor(50);
        c.assertHealthy();
    }

    public GroupView view() {
        for (int n : c.nodeNumbers()) {
            if (c.isAlive(n) && c.view(n, group) != null) {
                return c.view(n, group);
            }
        }
        return null;
    }

    public void assertAllAgree() {
        GroupView ref = view();
        for (int n : c.nodeNumbers()) {
            GroupView v = c.isAlive(n) ? c.view(n, group) : null;
            if (v != null) {
                assertEquals("seq at node " + n, ref.seq(), v.seq());
                assertEquals("members at node " + n, ref.members(), v.members());
                assertEquals("state at node " + n, ref.state(), v.state());
            }
        }
    }
}
