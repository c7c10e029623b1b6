package org.edgeha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.edgeha.itests.strategies.TestStrategyActivator;
import org.edgeha.recovery.api.ConnectionState;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Whiteboard recovery functions in a real Felix (SPEC 1.8): strategy bundles installed, outranked and
 * uninstalled at run time change how connections recover, without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RecoveryWhiteboardIT {

    private static final String IMPORTS = "org.edgeha.recovery.api;version=\"[1.0,2)\",org.osgi.framework";

    @Inject
    private BundleContext context;

    @Inject
    private HaConnections connections;

    @Inject
    private ConfigurationAdmin configAdmin;

    private EchoServer server;
    private final BlockingQueue<Map<String, Object>> recoveries = new LinkedBlockingQueue<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<Bundle> installed = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base()};
    }

    @Before
    public void setUp() throws IOException {
        server = new EchoServer();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, new String[] {"org/edgeha/recovery/RECOVERED", "org/edgeha/recovery/FAILED"});
        registrations.add(context.registerService(EventHandler.class, event -> {
            if (!"plc".equals(event.getProperty("name"))) {
                return; // other connections of the runtime (the MQTT bridge's) recover too
            }
            Map<String, Object> properties = new java.util.HashMap<>();
            for (String name : event.getPropertyNames()) {
                properties.put(name, event.getProperty(name));
            }
            properties.put("topic", event.getTopic());
            recoveries.add(properties);
        }, topics));
    }

    @After
    public void tearDown() throws Exception {
        registrations.forEach(ServiceRegistration::unregister);
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.UNINSTALLED) {
                bundle.uninstall();
            }
        }
        server.close();
    }

    private Bundle installStrategy(String name, int ranking, long delayMillis) throws Exception {
        Bundle bundle = TestBundles.install(context, "test.strategy." + name, TestStrategyActivator.class, IMPORTS,
                Map.of("X-Strategy-Name", name, "X-Strategy-Ranking", Integer.toString(ranking),
                        "X-Strategy-Delay-Ms", Long.toString(delayMillis)));
        installed.add(bundle);
        return bundle;
    }

    private String request(int coid, String text) throws IOException, HaException {
        return connections.invoke(coid, SocketChannel.class, ch -> {
            ch.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(256);
            while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
                if (ch.read(reply) < 0) {
                    throw new java.io.EOFException("closed before the reply");
                }
            }
            return new String(reply.array(), 0, reply.position() - 1, StandardCharsets.UTF_8);
        });
    }

    /** Breaks the connection (server restart), sends a request, and says who recovered it. */
    private String recoverOnce(int coid, String text) throws Exception {
        server.stop();
        server.start();
        assertEquals("echo:" + text, request(coid, text));
        Map<String, Object> event = recoveries.poll(10, TimeUnit.SECONDS);
        assertTrue("a recovery event was posted", event != null);
        assertEquals("org/edgeha/recovery/RECOVERED", event.get("topic"));
        return (String) event.get("function");
    }

    @Test
    public void strategiesHotSwapByRankingAndFallBackWhenUninstalled() throws Exception {
        installStrategy("A", 0, 0);
        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        assertTrue(connections.info(coid).orElseThrow().recoveryFunction().contains("whiteboard A"));
        assertTrue(recoverOnce(coid, "one").contains("whiteboard A"));

        Bundle b = installStrategy("B", 10, 0);
        assertTrue("the better strategy is used from the next recovery on", recoverOnce(coid, "two").contains("whiteboard B"));

        b.uninstall();
        assertTrue("back to A", recoverOnce(coid, "three").contains("whiteboard A"));
    }

    @Test
    public void anExplicitlyAttachedFunctionWinsOverTheWhiteboard() throws Exception {
        installStrategy("A", 100, 0);
        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2),
                (c, h) -> connections.reconnect(c, null, Duration.ofSeconds(1)), null, 0);
        assertTrue(recoverOnce(coid, "x").startsWith("explicit "));
    }

    @Test
    public void uninstallingAStrategyWhileItRecoversNeverHangsTheCaller() throws Exception {
        Bundle slow = installStrategy("slow", 0, 60_000);
        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        server.stop();
        CompletableFuture<Object> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return request(coid, "x");
            } catch (Exception e) {
                return e;
            }
        });
        String problem = Await.until(10_000, () -> connections.info(coid).orElseThrow().state() == ConnectionState.RECOVERING
                ? null : "not recovering yet");
        assertNull(problem, problem);

        slow.uninstall();
        Object outcome = caller.get(10, TimeUnit.SECONDS);
        assertTrue("the caller got the original error: " + outcome, outcome instanceof IOException);
        assertTrue(connections.info(coid).orElseThrow().recoveriesFailed() >= 1);
    }

    @Test
    public void badRegistrationsAreRejectedWithAReasonNotThrown() throws Exception {
        Hashtable<String, Object> noSelector = new Hashtable<>();
        registrations.add(context.registerService(RecoveryFunction.class, (c, h) -> c, noSelector));
        Hashtable<String, Object> badFilter = new Hashtable<>();
        badFilter.put(RecoveryFunction.CONNECTION_FILTER, "(kind=tcp");
        registrations.add(context.registerService(RecoveryFunction.class, (c, h) -> c, badFilter));

        List<String> lines = connections.recoveryFunctions();
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("REJECTED") && l.contains("selects no connection")));
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("REJECTED") && l.contains("not a valid LDAP filter")));

        // Rejected services are never chosen: the gateway's default strategy recovers the connection.
        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        assertTrue(connections.info(coid).orElseThrow().recoveryFunction().contains("whiteboard backoff "));
    }

    @Test
    public void theDefaultStrategyRecoversAndAConfiguredInstanceTakesOverWithoutRestart() throws Exception {
        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        assertTrue(recoverOnce(coid, "default").contains("whiteboard backoff "));

        org.osgi.service.cm.Configuration plc = configAdmin.getFactoryConfiguration("org.edgeha.recovery.strategy.backoff", "plc", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RecoveryFunction.CONNECTION_NAME, "plc");
        properties.put(RecoveryFunction.STRATEGY, "backoff-plc");
        properties.put("service.ranking", 10);
        plc.update(properties);
        String problem = Await.until(10_000, () -> connections.info(coid).orElseThrow().recoveryFunction()
                .contains("backoff-plc") ? null : connections.info(coid).orElseThrow().recoveryFunction());
        assertNull(problem, problem);
        assertTrue(recoverOnce(coid, "configured").contains("whiteboard backoff-plc"));

        plc.delete();
        problem = Await.until(10_000, () -> connections.info(coid).orElseThrow().recoveryFunction()
                .contains("whiteboard backoff ") ? null : connections.info(coid).orElseThrow().recoveryFunction());
        assertNull(problem, problem);
        assertTrue(recoverOnce(coid, "default-again").contains("whiteboard backoff "));
    }

    @Test
    public void filtersSelectConnectionsByTheirProperties() throws Exception {
        Hashtable<String, Object> onlyFiles = new Hashtable<>();
        onlyFiles.put(RecoveryFunction.CONNECTION_FILTER, "(kind=file)");
        onlyFiles.put(RecoveryFunction.STRATEGY, "files-only");
        registrations.add(context.registerService(RecoveryFunction.class, (c, h) -> connections.reopen(c), onlyFiles));
        installStrategy("tcp-too", -5, 0);

        int coid = connections.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        assertTrue(connections.info(coid).orElseThrow().recoveryFunction().contains("whiteboard tcp-too"));
    }
}
