package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.Notification;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.ResponsivenessCallback;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.sim.SimCluster;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.TestProvider;
import org.edgeha.gs.engine.sim.TestSubscriber;
import org.junit.Test;

/** The whiteboard of SPEC 2.10, without a framework: services are handed over as DS would. */
public class WhiteboardTest {

    /** A whiteboard provider that records what it is told. */
    private static class Recorder implements GroupProvider {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<Notification> received = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void attached(GsClient client, ProviderToken token) {
            calls.add("attached");
        }

        @Override
        public void detached(ProviderToken token) {
            calls.add("detached");
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            received.add(n);
        }

        @Override
        public void approved(ApprovedNotification n) {
            calls.add("approved " + n.protocolType());
            received.add(n);
        }

        @Override
        public void rejected(RejectedNotification n) {
            received.add(n);
        }
    }

    private static final class Warnings implements EngineLog {
        final List<String> warnings = new ArrayList<>();

        @Override
        public void debug(Supplier<String> message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void error(String message, Throwable t) {
            warnings.add(message);
        }
    }

    @Test
    public void providerServicesJoinAndLeaveWithTheirRegistration() {
        SimCluster c = new SimCluster(1, 3, SimFaults.LAN);
        Warnings log = new Warnings();
        WhiteboardCallbacks hooks = new WhiteboardCallbacks();
        c.node(2).hooks(hooks);
        ProviderWhiteboard wb = new ProviderWhiteboard(c.node(2), log, hooks, c.scheduler);
        TestProvider peer = new TestProvider("peer", c.client(1, "peer"), c.events).join("pumps", 1, GroupAttributes.DEFAULT);

        // a subscription service registered before the group has enough: it keeps watching
        TestSubscriber early = new TestSubscriber("early");
        wb.addSubscriber(early, Map.of("service.id", 20L, GsWhiteboard.GROUP_NAME, "valves"));

        Recorder r = new Recorder();
        wb.addProvider(r, Map.of("service.id", 10L, GsWhiteboard.GROUP_NAME, "pumps", GsWhiteboard.INSTANCE, 7,
                GsWhiteboard.LOCAL_NAME, "pump-7"));
        wb.addProvider(new Recorder(), Map.of("service.id", 11L, GsWhiteboard.GROUP_NAME, new String[] {"a", "b"},
                GsWhiteboard.INSTANCE, 1));
        wb.addProvider(new Recorder(), Map.of("service.id", 12L, GsWhiteboard.GROUP_NAME, "pumps"));
        assertEquals("two services with bad properties are ignored with a warning", 2, log.warnings.size());
        c.await("joined", () -> c.view(1, "pumps") != null && c.view(1, "pumps").members().size() == 2, 10_000);
        c.runFor(100);
        assertEquals(List.of("attached", "approved JOIN"), r.calls.subList(0, 2));
        assertEquals(List.of(new ProviderId(1, 1), new ProviderId(2, 7)), c.view(1, "pumps").members());

        // the watched group appears later: the early subscription picks it up on its next try
        TestProvider valve = new TestProvider("valve", c.client(3, "valves"), c.events).join("valves", 1, GroupAttributes.DEFAULT);
        c.runFor(ProviderWhiteboard.RETRY_MILLIS + 1_000);
        assertTrue(early.received.stream().anyMatch(n -> n.events().contains(SubscriptionEvent.INITIAL)));
        assertEquals(List.of(new ProviderId(3, 1)), early.last().fullMembership());

        // unregistering the provider service: it says goodbye and is removed
        wb.removeProvider(Map.of("service.id", 10L));
        c.await("removed", () -> c.view(1, "pumps").members().size() == 1, 10_000);
        c.runFor(100);
        assertEquals(List.of(new ProviderId(1, 1)), c.view(1, "pumps").members());
        assertTrue(peer.finals().get(peer.finals().size() - 1).endsWith("FAILURE_LEAVE:approved"));
        assertTrue(valve.finals().size() >= 1);
        wb.close();
        c.assertHealthy();
    }

    /**
     * A gateway cut off for longer than the will delay comes back as a new incarnation; its whiteboard provider,
     * still registered, joins again: whether it learnt of its removal as MEMBERSHIP_LOST or from the failure-leave
     * itself (the commit can reach it before its new identity does), or whether its join was still in flight there
 * (then the join ends with a delayed MEMBERSHIP_LOST).
     */
    @Test
    public void aWhiteboardProviderOfAGatewayDeclaredFailedJoinsAgain() {
        for (long seed = 1; seed <= 8; seed++) {
            SimCluster c = new SimCluster(seed, 2, SimFaults.LAN);
            WhiteboardCallbacks hooks = new WhiteboardCallbacks();
            c.node(2).hooks(hooks);
            ProviderWhiteboard wb = new ProviderWhiteboard(c.node(2), new Warnings(), hooks, c.scheduler);
            new TestProvider("peer", c.client(1, "peer"), c.events).join("pumps", 1, GroupAttributes.DEFAULT);
            Recorder r = new Recorder();
            wb.addProvider(r, Map.of("service.id", 10L, GsWhiteboard.GROUP_NAME, "pumps",
                    GsWhiteboard.INSTANCE, 7));
            c.await("joined", () -> c.view(1, "pumps") != null && c.view(1, "pumps").members().size() == 2, 10_000);
            if (seed % 2 == 0) {
                c.runFor(1_000); // gateway 2 knows it is a member; for odd seeds the join is still in flight there
            }

            c.network.disconnect(2);
            c.await("removed while away", () -> c.view(1, "pumps").members().size() == 1, 30_000);
            c.network.reconnect(2);
            c.await("joined again, seed " + seed, () -> c.view(1, "pumps").members().size() == 2
                    && c.view(2, "pumps") != null && c.view(2, "pumps").members().size() == 2, 30_000);
            assertEquals(List.of(new ProviderId(1, 1), new ProviderId(2, 7)), c.view(1, "pumps").members());
            c.runFor(100);
            assertEquals("seed " + seed + ": " + r.calls, "approved JOIN", r.calls.get(r.calls.size() - 1));
            wb.close();
        }
    }

    @Test
    public void attachedGetsTheTokenEvenWhenTheJoinIsApprovedBeforeJoinReturns() {
        SimCluster c = new SimCluster(4, 1, SimFaults.NONE);
        // A client whose join() runs the engine before returning, as a callback thread can on a real gateway
        // (a group on one gateway approves the join at once): the first notification comes first.
        GroupServices racing = new GroupServices() {
            @Override
            public GsClient init(ClientOptions options) {
                GsClient real = c.node(1).init(options);
                return (GsClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {GsClient.class},
                        (proxy, method, args) -> {
                            Object result;
                            try {
                                result = method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (method.getName().equals("join")) {
                                c.runFor(100);
                            }
                            return result;
                        });
            }

            @Override
            public int nodeNumber() {
                return 1;
            }

            @Override
            public List<GroupView> groups() {
                return c.node(1).groups();
            }

            @Override
            public Optional<GroupView> group(String group) {
                return c.node(1).group(group);
            }

            @Override
            public int coordinatorNode() {
                return c.node(1).coordinatorNode();
            }
        };
        WhiteboardCallbacks hooks = new WhiteboardCallbacks();
        c.node(1).hooks(hooks);
        ProviderWhiteboard wb = new ProviderWhiteboard(racing, new Warnings(), hooks, c.scheduler);
        List<ProviderToken> attachedWith = new ArrayList<>();
        Recorder r = new Recorder() {
            @Override
            public void attached(GsClient client, ProviderToken token) {
                attachedWith.add(token);
                super.attached(client, token);
            }
        };
        wb.addProvider(r, Map.of("service.id", 10L, GsWhiteboard.GROUP_NAME, "pumps", GsWhiteboard.INSTANCE, 1));
        assertEquals(List.of("attached", "approved JOIN"), r.calls);
        assertEquals(List.of(((ApprovedNotification) r.received.get(0)).token()), attachedWith);
        wb.close();
        c.assertHealthy();
    }

    @Test
    public void aProviderWhoseJoinFailsAsADuplicateIsDetached() {
        SimCluster c = new SimCluster(5, 1, SimFaults.NONE);
        WhiteboardCallbacks hooks = new WhiteboardCallbacks();
        c.node(1).hooks(hooks);
        ProviderWhiteboard wb = new ProviderWhiteboard(c.node(1), new Warnings(), hooks, c.scheduler);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        wb.addProvider(first, Map.of("service.id", 10L, GsWhiteboard.GROUP_NAME, "pumps", GsWhiteboard.INSTANCE, 1));
        c.await("joined", () -> c.view(1, "pumps") != null && c.view(1, "pumps").members().size() == 1, 10_000);
        // the same instance on the same gateway: refused at once, here, not by the coordinator
        wb.addProvider(second, Map.of("service.id", 11L, GsWhiteboard.GROUP_NAME, "pumps", GsWhiteboard.INSTANCE, 1));
        c.await("detached", () -> second.calls.contains("detached"), 10_000);
        assertEquals(List.of("detached"), second.calls);
        assertEquals(List.of("attached", "approved JOIN"), first.calls);
        wb.close();
        c.assertHealthy();
    }

    @Test
    public void callbackServicesAreSelectedByClientName() {
        WhiteboardCallbacks hooks = new WhiteboardCallbacks();
        DelayedErrorCallback forAll = n -> { };
        DelayedErrorCallback forA = n -> { };
        hooks.addDelayedError(forAll, Map.of("service.id", 1L));
        hooks.addDelayedError(forA, Map.of("service.id", 2L, GsWhiteboard.CLIENT_NAME, new String[] {"a", "x"}));
        assertEquals(List.of(forAll, forA), hooks.delayedErrorCallbacks("a"));
        assertEquals(List.of(forAll), hooks.delayedErrorCallbacks("b"));
        hooks.removeDelayedError(forAll);
        assertEquals(List.of(), hooks.delayedErrorCallbacks("b"));

        ResponsivenessCallback low = n -> true;
        ResponsivenessCallback high = n -> true;
        ResponsivenessCallback other = n -> false;
        hooks.addResponsiveness(low, Map.of("service.id", 5L, GsWhiteboard.CLIENT_NAME, "a"));
        hooks.addResponsiveness(high, Map.of("service.id", 6L, "service.ranking", 10, GsWhiteboard.CLIENT_NAME, "a"));
        hooks.addResponsiveness(other, Map.of("service.id", 7L, GsWhiteboard.CLIENT_NAME, "b"));
        assertSame(high, hooks.responsivenessCallback("a"));
        hooks.removeResponsiveness(high);
        assertSame(low, hooks.responsivenessCallback("a"));
        assertNull(hooks.responsivenessCallback("c"));
        assertFalse(hooks.responsivenessCallback("b").ping(null));
    }
}
