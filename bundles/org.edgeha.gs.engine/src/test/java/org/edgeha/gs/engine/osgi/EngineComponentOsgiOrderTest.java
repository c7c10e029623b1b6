package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Vote;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The DS component in the order a real framework drives it: constructed, left to settle, then a
 * whiteboard provider bound through its bind method on another thread, and the group polled from a
 * third thread, with debug logging enabled as the gateway's log does.
 */
public class EngineComponentOsgiOrderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test(timeout = 60_000)
    public void aWhiteboardProviderBoundAfterStartupShowsItsGroupAndLeavesIt() throws Exception {
        EngineComponent engine = StandaloneEngine.start(tmp.getRoot().toPath(), true, false); // debug enabled, as in the gateway
        ExecutorService ds = Executors.newSingleThreadExecutor();
        try {
            Thread.sleep(1_000); // the framework binds services later, once the engine settled
            GroupProvider provider = new GroupProvider() {
                private volatile GsClient client;
                private volatile ProviderToken token;

                @Override
                public void attached(GsClient c, ProviderToken t) {
                    client = c;
                    token = t;
                }

                @Override
                public void nPhase(NPhaseNotification n) {
                    client.vote(token, Vote.approve());
                }

                @Override
                public void approved(ApprovedNotification n) {
                }

                @Override
                public void rejected(RejectedNotification n) {
                }
            };
            Map<String, Object> props = Map.of(GsWhiteboard.GROUP_NAME, "line1", GsWhiteboard.INSTANCE, 1,
                    "service.id", 42L);
            ds.submit(() -> engine.addGroupProvider(provider, props)).get();
            // Not Optional.map(v -> ok ? null : problem): a null from map() turns the present group into empty().
            assertNull(await(() -> {
                Optional<GroupView> v = engine.group("line1");
                return v.isEmpty() ? "no group line1 yet" : v.get().members().size() == 1 ? null : "members " + v.get().members();
            }));
            GsCommands shell = new GsCommands(engine);
            String groups = shell.groups();
            assertTrue(groups, groups.contains("line1"));
            assertTrue(shell.join("line2", "x").startsWith("joining line2"));
            assertNull(await(() -> engine.group("line2").isPresent() ? null : "no group line2 yet"));
            assertTrue(shell.groups(), shell.groups().contains("line2"));
            shell.deactivate();
            ds.submit(() -> engine.removeGroupProvider(provider, props)).get();
            assertNull(await(() -> engine.group("line1").map(v -> v.members().isEmpty() ? null : "members " + v.members())
                    .orElse(null)));
        } finally {
            ds.shutdownNow();
            engine.deactivate();
        }
    }

    private static String await(Callable<String> problem) throws Exception {
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try {
            long deadline = System.currentTimeMillis() + 15_000;
            String p;
            do {
                Future<String> f = poller.submit(problem);
                p = f.get();
                if (p == null) {
                    return null;
                }
                Thread.sleep(20);
            } while (System.currentTimeMillis() < deadline);
            return p;
        } finally {
            poller.shutdownNow();
        }
    }
}
