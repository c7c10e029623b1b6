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
import org.edgeha.gateway.api.InfoContributor;
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
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Group Services transport over the gateway's MQTT connection ({@code default}). Topics live under
 * {@code edgeha-gw/{domain}/}, apart from the JSON other systems read under {@code edgeha/{domain}/}; every message is sealed in an {@link Envelope} (HMAC-SHA256 with the domain key over
 * topic, sender and counter) and checked on arrival: oversized, truncated, malformed, forged and replayed
 * inputs are dropped and reported to the bridge ({@code mqtt:status} counts them), never passed on or thrown.
 * Presence comes from the bridge's retained node statuses and wills.
 *
 * <p>A configuration change is applied in place ({@link Modified}), so the engine and its groups go on (issue 14: it
 * used to restart Group Services, and the shell's providers vanished without a word). A new domain key seals what
 * is sent from then on; messages sealed with the previous key are still accepted for {@link #KEY_OVERLAP_MS}, the
 * time to change it on every gateway of the domain. A bad value is refused as a whole with one ERROR line.
 *
 * <p>Threads: messages reach the engine on the MQTT client's callback thread, or on the bridge's delivery thread
 * when something waits there ({@link MqttBridge#subscribeDirect}: one thread hand-off less per frame, order kept);
 * presence on the bridge's delivery thread; the "run alone" timer on {@code gs-mqtt-timer}. Every call into the
 * engine is made under one lock, so they never overlap; the engine never blocks under it (it hands callbacks over).
 */
@Component(service = {GsTransport.class, InfoContributor.class}, immediate = true, configurationPid = MqttGsTransport.PID)
@Designate(ocd = GsMqttConfig.class)
public class MqttGsTransport implements GsTransport, InfoContributor {

    static final String PID = "org.edgeha.gs.mqtt";

    private final MqttBridge bridge;
    private final Logger log;
    private final int node;
    private final String root;
    private final Gateway gateway;
    private volatile Envelope envelope;
    /** The key in use before the last change, accepted until {@link #previousUntil} ({@link System#nanoTime()}); or null. */
    private volatile Envelope previous;
    private volatile long previousUntil;
    private volatile String keyText;
    private volatile int maxBytes;
    private volatile long aloneAfterMillis;
    /** Why the last change of the configuration was refused, or empty: {@code edgeha:info} says it. */
    private volatile String configurationProblem = "";

    private static final int DEFAULT_MAX_BYTES = 262_144; // as GsMqttConfig
    private static final long DEFAULT_ALONE_AFTER_MS = 3_000;

    /** How long messages sealed with the previous domain key are accepted after a change of the key. */
    static final long KEY_OVERLAP_MS = 10 * 60_000;
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
        this.gateway = gateway;
        this.node = gateway.settings().node();
        // apart from what other systems read under edgeha/{domain}/ (docs/mqtt-api.md, "Binary frames apart")
        this.root = "edgeha-gw/" + gateway.settings().domain() + "/";
        try {
            checkValues(config);
            this.maxBytes = Math.max(1024, config.max_message_bytes());
            this.aloneAfterMillis = Math.max(0, config.alone_after_ms());
        } catch (IllegalArgumentException e) {
            // Not thrown: SCR would log it with its stack traces, and Group Services would not run at all.
            configurationProblem = "configuration " + PID + " is wrong: " + e.getMessage()
                    + "; Group Services runs on the defaults of max.message.bytes and alone.after.ms until it is put right";
            log.error("Group Services over MQTT: {}", configurationProblem);
            this.maxBytes = DEFAULT_MAX_BYTES;
            this.aloneAfterMillis = DEFAULT_ALONE_AFTER_MS;
        }
        this.keyText = config._domain_key();
        this.envelope = new Envelope(key(keyText));
        log.info("Group Services over MQTT for node {} under {}", node, root);
    }

    private byte[] key(String text) {
        if (text.isEmpty()) {
            log.warn("Group Services over MQTT: no domain key is configured ({}.cfg, .domain.key): protocol messages are "
                    + "sealed with a key anyone can derive from the domain name. Configure a shared secret.", PID);
            return sha256("edgeha-unauthenticated:" + gateway.settings().domain());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** SCR converts a value only when it is read, and then throws without naming the key: read them all here. */
    private static void checkValues(GsMqttConfig config) {
        try {
            config.max_message_bytes();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("max.message.bytes: not a whole number");
        }
        try {
            config.alone_after_ms();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("alone.after.ms: not a whole number");
        }
    }

    /**
     * etc/org.edgeha.gs.mqtt.cfg changed: applied to the running transport, so the engine, its groups and their
     * members stay; or refused whole with one ERROR line naming the PID, key and reason.
     */
    @Modified
    void modified(GsMqttConfig config) {
        try {
            checkValues(config);
        } catch (IllegalArgumentException e) {
            configurationProblem = "configuration " + PID + " is wrong: " + e.getMessage()
                    + "; Group Services goes on with the previous settings";
            log.error("Group Services over MQTT: {}", configurationProblem);
            return;
        }
        configurationProblem = "";
        List<String> changed = new ArrayList<>();
        int bytes = Math.max(1024, config.max_message_bytes());
        if (bytes != maxBytes) {
            maxBytes = bytes;
            changed.add("max.message.bytes");
        }
        long alone = Math.max(0, config.alone_after_ms());
        if (alone != aloneAfterMillis) {
            aloneAfterMillis = alone; // for the next start of an engine
            changed.add("alone.after.ms");
        }
        if (!config._domain_key().equals(keyText)) {
            Envelope next = new Envelope(key(config._domain_key()));
            previous = envelope;
            previousUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KEY_OVERLAP_MS);
            envelope = next;
            keyText = config._domain_key();
            changed.add(".domain.key");
        }
        if (changed.isEmpty()) {
            return;
        }
        log.info("Group Services over MQTT: configuration {} changed ({}); applied in place, the groups and their "
                + "members stay", PID, String.join(", ", changed));
        if (changed.contains(".domain.key")) {
            log.warn("Group Services over MQTT: the domain key changed; messages sealed with the previous key are "
                    + "accepted for {} min more: change it on every gateway of the domain by then", KEY_OVERLAP_MS / 60_000);
        }
    }

    /** {@code edgeha:info}: the domain key's kind (never the key) and a refused configuration, if any. */
    @Override
    public Map<String, String> info() {
        return Map.of("groups", "over MQTT under " + root + ", domain key "
                + (keyText.isEmpty() ? "derived from the domain name (configure .domain.key)" : "configured")
                + (configurationProblem.isEmpty() ? "" : "; " + configurationProblem));
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
        // Direct: the handler is short and never blocks (it checks the frame and runs the engine, which only hands
        // over), so the bridge may call it on the MQTT client's callback thread and save a hand-off per frame.
        Subscription s = bridge.subscribeDirect(root + topicFilter, 1, this::arrived);
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
            opened = open(message);
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

    /** Opens with the domain key, or with the previous one while a change of the key goes round the domain. */
    private Envelope.Opened open(InboundMessage message) throws Envelope.Rejected {
        byte[] frame = message.payload(); // a copy each time it is asked for: once
        try {
            return envelope.open(message.topic(), frame, maxBytes);
        } catch (Envelope.Rejected r) {
            Envelope before = previous;
            if (before == null || !"bad-mac".equals(r.getMessage())) {
                throw r;
            }
            if (System.nanoTime() - previousUntil > 0) {
                previous = null;
                throw r;
            }
            return before.open(message.topic(), frame, maxBytes);
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
