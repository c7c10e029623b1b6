package org.edgeha.gs.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;
import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MessageHandler;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.Subscription;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.log.Logger;

/**
 * A change of {@code org.edgeha.gs.mqtt} on a running transport (issue 14, case 9): applied in place, a new domain key
 * seals from then on while the previous one is still accepted, and a bad value changes nothing and is said once.
 */
public class TransportReconfigurationTest {

    private static final String TOPIC = "edgeha/plant/node/1/inbox";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
    private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final AtomicLong counter = new AtomicLong();

    private MqttBridge bridge() {
        return (MqttBridge) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MqttBridge.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "subscribe", "subscribeDirect" -> {
                        handlers.add((MessageHandler) args[2]);
                        yield (Subscription) new Subscription() {
                            @Override
                            public String topicFilter() {
                                return (String) args[0];
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                    case "publishDirect" -> {
                        sent.add((OutboundMessage) args[0]);
                        yield null;
                    }
                    case "rejectedInput" -> {
                        rejected.add((String) args[1]);
                        yield null;
                    }
                    case "incarnation" -> 7L;
                    case "addPresenceListener" -> (AutoCloseable) () -> { };
                    case "name" -> "default";
                    default -> null;
                });
    }

    private Gateway gateway() {
        Map<String, String> values = Map.of(GatewaySettings.HOME, tmp.getRoot().getPath(), GatewaySettings.NODE, "1",
                GatewaySettings.DOMAIN, "plant", GatewaySettings.BROKER, "tcp://broker.plant:1883");
        GatewaySettings settings = GatewaySettings.from(values::get);
        return (Gateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Gateway.class},
                (proxy, method, args) -> method.getName().equals("settings") ? settings : null);
    }

    private Logger log() {
        return (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if ((method.getName().equals("error") || method.getName().equals("warn")) && args != null) {
                        logged.add(method.getName().toUpperCase() + " " + args[0] + " " + List.of(args).subList(1, args.length));
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    /** A configuration whose attributes are the given values, or their defaults; a RuntimeException is thrown as SCR would. */
    private static GsMqttConfig config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (GsMqttConfig) Proxy.newProxyInstance(GsMqttConfig.class.getClassLoader(), new Class<?>[] {GsMqttConfig.class},
                (proxy, method, args) -> {
                    Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                    if (value instanceof RuntimeException e) {
                        throw e;
                    }
                    return value;
                });
    }

    private void arrive(String key) {
        byte[] frame = new Envelope(key.getBytes(StandardCharsets.UTF_8)).seal(TOPIC, 2, 5, counter.incrementAndGet(),
                ("from-" + key).getBytes(StandardCharsets.UTF_8));
        InboundMessage m = new InboundMessage(TOPIC, frame, 1, false, false, Map.of());
        handlers.forEach(h -> h.onMessage(m));
    }

    private MqttGsTransport started(GsMqttConfig config) {
        MqttGsTransport transport = new MqttGsTransport(bridge(), gateway(), log(), config);
        transport.subscribe("node/1/#");
        transport.start(new TransportListener() {
            @Override
            public void connected(NodeId self, boolean resumed) {
            }

            @Override
            public void disconnected() {
            }

            @Override
            public void presence(Set<NodeId> up) {
            }

            @Override
            public void message(String topic, byte[] payload) {
                delivered.add(new String(payload, StandardCharsets.UTF_8));
            }
        });
        return transport;
    }

    @Test
    public void aNewDomainKeySealsFromThenOnAndThePreviousOneIsStillAccepted() throws Exception {
        MqttGsTransport transport = started(config("_domain_key", "old-key"));
        arrive("old-key");
        transport.modified(config("_domain_key", "new-key"));
        arrive("old-key"); // from a gateway not changed yet
        arrive("new-key");
        arrive("a-third-key");
        assertEquals(List.of("from-old-key", "from-old-key", "from-new-key"), delivered);
        assertEquals(List.of("bad-mac"), rejected);

        transport.publish("node/2/inbox", "hello".getBytes(StandardCharsets.UTF_8));
        OutboundMessage out = sent.get(0);
        assertEquals("hello", new String(new Envelope("new-key".getBytes(StandardCharsets.UTF_8))
                .open(out.topic(), out.payload(), 1 << 20).payload(), StandardCharsets.UTF_8));
        assertEquals(1, logged.stream().filter(l -> l.contains("the domain key changed")).count());
        transport.stop();
    }

    @Test
    public void aBadValueChangesNothingAndIsSaidOnceWithPidKeyAndReason() {
        MqttGsTransport transport = started(config("_domain_key", "old-key"));
        transport.modified(config("_domain_key", "new-key", "max_message_bytes",
                new IllegalStateException("as SCR: For input string: \"lots\"")));
        arrive("old-key");
        assertEquals("the key was not changed either", List.of(), rejected);
        assertEquals(List.of("from-old-key"), delivered);
        assertEquals(logged.toString(), 1, logged.size());
        assertTrue(logged.get(0), logged.get(0).startsWith("ERROR")
                && logged.get(0).contains("configuration org.edgeha.gs.mqtt is wrong: max.message.bytes: not a whole number"));
        assertTrue(transport.info().get("groups").contains("max.message.bytes: not a whole number"));

        transport.modified(config("_domain_key", "old-key"));
        assertTrue(transport.info().get("groups").endsWith("domain key configured"));
        transport.stop();
    }

    @Test
    public void aBadValueAtActivationIsSaidOnceAndTheDefaultIsUsed() {
        MqttGsTransport transport = started(config("_domain_key", "k", "alone_after_ms",
                new IllegalStateException("as SCR")));
        assertEquals(logged.toString(), 1, logged.size());
        assertTrue(logged.get(0), logged.get(0).contains("alone.after.ms: not a whole number"));
        arrive("k");
        assertEquals(List.of("from-k"), delivered);
        transport.stop();
    }
}
