package org.edgeha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.Subscription;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A delayed error in a real Felix (SPEC 2.6, issue 4): a proposal that collides at the coordinator, not at its own
 * gateway, reaches a whiteboard {@link DelayedErrorCallback} service as {@code COLLIDE} with the original request.
 *
 * <p>This framework is gateway 2; gateway 1, the coordinator, is the real gateway jar in its own process, both on a
 * private Mosquitto. To make the collision certain rather than a race, gateway 2 is kept from hearing that gateway 1
 * started a protocol: a subscription handler of the test holds the bridge's one delivery thread (as any slow
 * handler would) while gateway 1 starts a 2-phase change and gateway 2's provider proposes. Gateway 2 has seen no
 * phase, so it sends the proposal; the coordinator, running a protocol, answers COLLIDE, which arrives once the
 * handler lets go.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DelayedCollideIT {

    @Inject
    private BundleContext context;

    @Inject
    private GroupServices gs;

    @Inject
    private MqttBridge bridge;

    @Inject
    private org.osgi.service.cm.ConfigurationAdmin cm;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base(ExamBroker.start(), 2)};
    }

    /** Gateway 1: the real jar with an open console. */
    private static final class OtherGateway implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();

        OtherGateway(Path home, String broker) throws IOException {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                    "-jar", System.getProperty("edgeha.gateway.jar"), "--edgeha.home=" + home, "--edgeha.node=1",
                    "--edgeha.console=true", "--edgeha.broker=" + broker).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null;) {
                        synchronized (all) {
                            all.add(line);
                        }
                        lines.add(line);
                    }
                } catch (IOException ended) {
                    // the process ended
                }
            }, "gateway-1-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Types {@code command} until a line containing {@code expected} follows (commands register after ready). */
        void ask(String command, String expected) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                lines.clear();
                OutputStream in = process.getOutputStream();
                in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                for (String line; System.nanoTime() < until;) {
                    line = lines.poll(100, TimeUnit.MILLISECONDS);
                    if (line != null && line.contains(expected)) {
                        return;
                    }
                }
            }
            fail("gateway 1 never answered '" + command + "' with '" + expected + "':\n" + output());
        }

        String output() {
            synchronized (all) {
                return String.join("\n", all);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Approves every phase, so that gateway 1's change can finish. */
    private static final class Voter implements ProviderCallbacks {
        volatile GsClient client;

        @Override
        public void nPhase(NPhaseNotification n) {
            client.vote(n.token(), Vote.approve());
        }

        @Override
        public void approved(ApprovedNotification n) {
        }

        @Override
        public void rejected(RejectedNotification n) {
        }
    }

    @Test
    public void aProposalThatCollidesAtTheCoordinatorReachesTheDelayedErrorServiceWithTheOriginalRequest()
            throws Exception {
        BlockingQueue<DelayedErrorNotification> delayed = new LinkedBlockingQueue<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(GsWhiteboard.CLIENT_NAME, "collider");
        ServiceRegistration<DelayedErrorCallback> callback = context.registerService(DelayedErrorCallback.class,
                delayed::add, props);
        Path home = Files.createTempDirectory(Path.of(System.getProperty("edgeha.itest.work")), "gateway1-");
        if (Boolean.getBoolean("gs.debug")) {
            Files.createDirectories(home.resolve("etc"));
            Files.writeString(home.resolve("etc/org.edgeha.gateway.log.cfg"), "file.level=DEBUG\n");
            Hashtable<String, Object> log = new Hashtable<>();
            log.put("file.level", "DEBUG");
            cm.getConfiguration("org.edgeha.gateway.log", "?").update(log);
            Thread.sleep(500);
        }
        try (OtherGateway one = new OtherGateway(home, System.getProperty(ExamBroker.URI_PROPERTY))) {
            // Both gateways must see each other before anyone joins: a gateway that is alone coordinates itself, and a
            // group it creates then is a separate life that ends when the two meet (its members are told
            // MEMBERSHIP_LOST; design 6.). Gateway 1 announces itself only after reading gateway 2's status.
            String problem = Await.until(60_000, () -> bridge.status().nodesOnline() == 2 ? null
                    : bridge.status().nodesOnline() + " node(s) online");
            assertNull(problem + "\n" + one.output(), problem);
            one.ask("gs:join pumps", "joining pumps");
            Voter voter = new Voter();
            GsClient client = null;
            ProviderToken token = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                client = gs.init(ClientOptions.named("collider"));
                voter.client = client;
                token = client.join(new JoinRequest("pumps", 1, GroupAttributes.DEFAULT, "collider", voter));
                problem = Await.until(15_000, () -> {
                    // Not Optional.map(v -> ok ? null : ..).orElse(..): a null from map() looks like an absent view.
                    Optional<GroupView> v = gs.group("pumps");
                    return v.isEmpty() ? "no view of pumps yet"
                            : v.get().members().size() == 2 && v.get().coordinatorNode() == 1 ? null : "view " + v.get();
                });
                if (problem == null) {
                    break;
                }
                client.quit(); // joined while the two were still meeting: join again
            }
            assertNull(problem + "\n" + bridge.status() + "\n" + one.output(), problem);

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (Subscription hold = bridge.subscribe("edgeha/default/test/hold", 1, m -> {
                held.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!held.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    bridge.publishDirect(OutboundMessage.of("edgeha/default/test/hold", new byte[] {1}));
                }
                assertTrue("the delivery thread is held", held.getCount() == 0);

                one.ask("gs:state pumps draining --phases 2", "proposed draining");
                Thread.sleep(500); // the coordinator (gateway 1 itself) has started it; gateway 2 cannot know
                StateChangeRequest request = new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8("filling"));
                try {
                    client.changeStateValue(token, request);
                } catch (GsException e) {
                    fail("gateway 2 refused at once (" + e.returnCode() + "): it knew of the running protocol, so the"
                            + " delivery thread was not held");
                }
                release.countDown();

                DelayedErrorNotification n = delayed.poll(30, TimeUnit.SECONDS);
                assertTrue("a delayed error arrived\n" + one.output(), n != null);
                assertEquals(ReturnCode.COLLIDE, n.returnCode());
                assertEquals(ProtocolType.STATE_CHANGE, n.protocolType());
                assertEquals("pumps", n.group());
                assertSame("the original request object", request, n.failingRequest());
            } finally {
                release.countDown();
            }
            // The protocol it collided with went on: gateway 1's change is approved here too.
            problem = Await.until(30_000, () -> {
                Optional<GroupView> v = gs.group("pumps");
                return v.isEmpty() ? "no view" : "draining".equals(v.get().state().asUtf8()) ? null : "state " + v.get().state();
            });
            assertNull(problem, problem);
            client.quit();
        } finally {
            callback.unregister();
        }
    }
}
