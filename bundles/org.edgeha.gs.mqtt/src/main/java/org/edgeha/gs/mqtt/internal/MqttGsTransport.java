package org.edgeha.gs.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;
import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.Subscription;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Group Services transport over the gateway's MQTT connection ({@code default}). Topics live under
 * {@code edgeha/{domain}/}; every message is sealed in an {@link Envelope} (HMAC-SHA256 with the domain key over
 * topic, sender and counter) and checked on arrival: oversized, truncated, malformed, forged and replayed
 * inputs are dropped and reported to the bridge ({@code mqtt:status} counts them), never passed on or thrown.
 * Presence comes from the bridge's retained node statuses and wills.
 *
 * <p>Threads: messages and presence reach the engine on the bridge's delivery thread; the "run alone"
 * timer on {@code gs-mqtt-timer}. Every call into the engine is made under one lock, so they never overlap.
 */
@Component(service = GsTransport.class, immediate = true, configurationPid = MqttGsTransport.PID)
@Designate(ocd = GsMqttConfig.class)
public class MqttGsTransport implements GsTransport {

    static final String PID = "org.edgeha.gs.mqtt";

    private final MqttBridge bridge;
    private final Logger log;
    private final int node;
    private final String root;
    private final Envelope envelope;
    private final int maxBytes;
    private final long aloneAfterMillis;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong sendsDropped = new AtomicLong();
    private final Object engineLock = new Object();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private ScheduledExecutorService timer;
    private ReplayGuard replays;
    private AutoCloseable presenceHandle;
    private TransportListener listener;
    private long usedIncarnation = -1;
    private boolean heardFromBroker;

    @Activate
    public MqttGsTransport(@Reference(target = "(" + MqttBridge.NAME + "=default)") MqttBridge bridge,
            @Reference Gateway gateway, @Reference(service = LoggerFactory.class) Logger log, GsMqttConfig config) {
        this.bridge = bridge;
        this.log = log;
        this.node = gateway.settings().node();
        this.root = "edgeha/" + gateway.settings().domain() + "/";
        this.maxBytes = Math.max(1024, config.max_message_bytes());
        this.aloneAfterMillis = Math.max(0, config.alone_after_ms());
        byte[] key;
        if (config._domain_key().isEmpty()) {
            key = sha256("edgeha-unauthenticated:" + gateway.settings().domain());
            log.warn("Group Services over MQTT: no domain key is configured ({}.cfg, .domain.key): protocol messages are "
                    + "sealed with a key anyone can derive from the domain name. Configure a shared secret.", PID);
        } else {
            key = config._domain_key().getBytes(StandardCharsets.UTF_8);
        }
        this.envelope = new Envelope(key);
        log.info("Group Services over MQTT for node {} under {}", node, root);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public NodeId localNode() {
        return new NodeId(node, bridge.incarnation());
    }

    @Override
    public void start(TransportListener engine) {
        synchronized (engineLock) {
            closePresence(); // a second start() without stop(): the newer engine wins
            listener = engine;
            replays = new ReplayGuard();
            heardFromBroker = false;
            long incarnation = bridge.incarnation();
            if (incarnation == usedIncarnation) {
                // A new engine on this transport (restarted or reconfigured): its peers must not take it for the
                // previous one, whose message streams it cannot continue.
                bridge.renewIncarnation();
            }
            usedIncarnation = bridge.incarnation();
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gs-mqtt-timer-" + node);
                t.setDaemon(true);
                return t;
            });
            timer.schedule(this::runAloneIfUnheard, aloneAfterMillis, TimeUnit.MILLISECONDS);
            presenceHandle = bridge.addPresenceListener(new Presence(engine));
        }
    }

    /** No broker yet: let Group Services work for this gateway's own providers (SPEC 0). */
    private void runAloneIfUnheard() {
        synchronized (engineLock) {
            if (listener != null && !heardFromBroker) {
                log.info("Group Services: no broker reachable yet; running for this gateway's providers alone");
                listener.presence(Set.of(localNode()));
            }
        }
    }

    @Override
    public void subscribe(String topicFilter) {
        Subscription s = bridge.subscribe(root + topicFilter, 1, this::arrived);
        synchronized (engineLock) {
            subscriptions.add(s);
        }
    }

    @Override
    public void publish(String topic, byte[] payload) {
        String full = root + topic;
        byte[] frame = envelope.seal(full, node, bridge.incarnation(), counter.incrementAndGet(), payload);
        try {
            bridge.publishDirect(new OutboundMessage(full, frame, 1, false, Map.of()));
        } catch (PublishRejectedException e) {
            // Lost like a message published while disconnected; the engine's links resend what matters.
            long n = sendsDropped.incrementAndGet();
            if (e.reason() != PublishRejectedException.Reason.NOT_CONNECTED && (n & (n - 1)) == 0) {
                log.warn("Group Services message to {} not sent ({} so far): {}", full, n, e.getMessage());
            }
        }
    }

    private void arrived(InboundMessage message) {
        Envelope.Opened opened;
        try {
            opened = envelope.open(message.topic(), message.payload(), maxBytes);
        } catch (Envelope.Rejected r) {
            bridge.rejectedInput(message.topic(), r.getMessage());
            return;
        }
        if (opened.node() == node) {
            bridge.rejectedInput(message.topic(), "own-node"); // never sent by this gateway to itself
            return;
        }
        synchronized (engineLock) {
            if (listener == null) {
                log.debug("Group Services: message on {} while no engine runs; dropped", message.topic());
                return;
            }
            if (!replays.accept(opened.node(), opened.incarnation(), opened.counter())) {
                if (!message.duplicate()) {
                    bridge.rejectedInput(message.topic(), "replayed");
                } else {
                    log.debug("Group Services: QoS 1 redelivery on {} dropped", message.topic());
                }
                return; // a QoS 1 redelivery is expected and not counted as an attack
            }
            listener.message(message.topic().substring(root.length()), opened.payload());
        }
    }

    @Override
    public void stop() {
        synchronized (engineLock) {
            stopLocked();
        }
    }

    private void stopLocked() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        closePresence();
        listener = null;
    }

    /** The engine subscribes before it starts the transport: subscriptions stay, the rest goes. */
    private void closePresence() {
        if (presenceHandle != null) {
            try {
                presenceHandle.close();
            } catch (Exception e) {
                log.debug("closing the presence listener: {}", e.toString());
            }
            presenceHandle = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    /** Presence from the bridge, handed to the engine under the lock. */
    private final class Presence implements PresenceListener {
        private final TransportListener engine;

        Presence(TransportListener engine) {
            this.engine = engine;
        }

        @Override
        public void connected(long incarnation, boolean resumed) {
            synchronized (engineLock) {
                if (listener == engine) {
                    heardFromBroker = true;
                    engine.connected(new NodeId(node, incarnation), resumed);
                }
            }
        }

        @Override
        public void disconnected() {
            synchronized (engineLock) {
                if (listener == engine) {
                    engine.disconnected();
                }
            }
        }

        @Override
        public void presence(Map<Integer, Long> online) {
            Set<NodeId> up = new TreeSet<>();
            online.forEach((n, inc) -> up.add(new NodeId(n, inc)));
            synchronized (engineLock) {
                if (listener == engine && heardFromBroker) {
                    engine.presence(up);
                }
            }
        }
    }
}
