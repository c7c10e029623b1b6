package org.edgeha.mqtt.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.PublishRejectedException.Reason;
import org.edgeha.mqtt.api.Subscription;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.osgi.service.log.Logger;

/**
 * One managed MQTT connection: a Paho client registered with the recovery service (so a whiteboard
 * strategy connects and reconnects it; Paho's automatic reconnect is off), a store-and-forward store
 * drained by the {@link Forwarder}, and {@link Subscriptions} renewed after each connect.
 *
 * <p>Every connect attempt uses a fresh Paho client, so that nothing of an earlier network connection is sent
 * on the next one. Paho 1.2.5 gives each topic a topic alias when the broker allows them and keeps its unacknowledged
 * QoS 1 publishes as alias-only packets; on reconnect it resends them, but aliases belong to one network connection,
 * so the broker closes the new connection with a protocol error, and every later one too
 * (eclipse-paho/paho.mqtt.java#1104). Nothing here needs Paho's resend: the forwarder sends again what the broker
 * did not acknowledge, direct publishes are not kept by contract, and presence is published at each connect.
 *
 * <p>Presence: after each connect the retained status of every node is read (a marker published to ourselves
 * tells when they are all in), this gateway's incarnation is settled (a new one if the broker published our
 * will while we were away), and only then is our own status published and are presence listeners told.
 *
 * <p>Threads: {@code edgeha-mqtt-link-NAME} keeps the connection up (it runs the recovery);
 * {@code edgeha-mqtt-forward-NAME} drains the store; {@code edgeha-mqtt-direct-NAME} sends direct publishes
 * that wait for the broker's in-flight window; {@code edgeha-mqtt-deliver-NAME} calls handlers and presence
 * listeners; Paho's own threads only hand over, except that Paho's callback thread calls the handlers of direct
 * subscriptions ({@link org.edgeha.mqtt.api.MqttBridge#subscribeDirect}) itself when nothing waits for delivery.
 */
final class ManagedConnection {

    /** Replaced in place by {@link #reconfigure}; everything derived from the name and node stays. */
    private volatile ConnectionSettings settings;
    /** Brokers an earlier configuration named and the current one does not: a strategy's endpoint among them is skipped. */
    private final java.util.Set<String> retiredBrokers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The settings the last connect attempt began with: a change during the attempt is applied once it is in. */
    private volatile ConnectionSettings attemptedWith;
    private final HaConnections connections;
    private final RecoveryFunction explicitRecovery;
    private final Logger log;
    private final MessageStore store;
    private volatile MqttAsyncClient client;
    private MqttAsyncClient failedAttempt; // closed at the next attempt: at once, Paho's sender may still be running
    private final Subscriptions subscriptions;
    private final Forwarder forwarder;
    private final DirectSender direct;
    private final Presence presence;
    private final RejectedInputs rejectedInputs;
    private final Object syncMarker = new Object();
    private volatile String awaitedMarker;
    private long announcedIncarnation = -1;
    private final Object signal = new Object();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    /** The node probe of the connect attempt under way, if any: {@link #close} ends it. */
    private final AtomicReference<NodeProbe> probing = new AtomicReference<>();
    private volatile MqttStatus.State state = MqttStatus.State.CONNECTING;
    private volatile boolean closed;
    /** Whether {@link #start} ran: a bridge whose configuration is wrong at activation holds its connection unstarted. */
    private volatile boolean started;
    private volatile boolean sessionPresent;
    private volatile String lastError = "";
    /** Why the store could not be written the last time it was tried, until an append succeeds again; or "". */
    private volatile String storeError = "";
    private long refusedWhileUnwritable;
    private volatile int coid = -1;
    /**
     * {@link System#nanoTime()} before which the link does not try again: a broker refused MQTT 5, or another gateway
     * holds this node number. 0 when nothing held it off; said once, as an ERROR, when it begins.
     */
    private volatile long holdOffUntil;
    /** How long the link waits in those cases: long, since only an operator can change them. */
    static final long PROTOCOL_BACKOFF_MS = 60_000;
    /** {@link System#nanoTime()} of the last connect that went through, or 0 before the first. */
    private volatile long connectedAt;
    /** A connection that lasted less than this may have been ended by another gateway taking its session over. */
    static final long SHORT_CONNECTION_MS = 30_000;
    /** The incarnation of another gateway seen online as this node at the last check, or 0. */
    private volatile long nodeSuspect;
    /** The incarnation this gateway last said it stands back for (one ERROR per conflict), or 0. */
    private volatile long conflictSaid;
    /** {@link System#nanoTime()} of the last ERROR about a gateway that stands back for this one, or 0. */
    private volatile long conflictHeardAt;

    /**
     * @param explicitRecovery the function that reconnects, or {@code null} for the best whiteboard strategy
     */
    ManagedConnection(ConnectionSettings settings, HaConnections connections, RecoveryFunction explicitRecovery,
            Logger log) throws IOException, MqttException {
        this.settings = settings;
        this.connections = connections;
        this.explicitRecovery = explicitRecovery;
        this.log = log;
        this.store = MessageStore.open(settings.storeDir(), settings.storeMaxMessages(), settings.storeMaxBytes(),
                settings.overflow(), settings.storeSync());
        this.client = newClient();
        this.subscriptions = new Subscriptions(settings.name(), log);
        this.forwarder = new Forwarder(this, store, log);
        this.direct = new DirectSender(() -> client, settings.name());
        this.rejectedInputs = new RejectedInputs(settings.name(), log);
        this.presence = new Presence(settings.node(), settings.storeDir().resolveSibling(settings.name() + ".incarnation"),
                log, task -> CompletableFuture.delayedExecutor(Presence.OFFLINE_GRACE_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> subscriptions.post(task)), this::declaredDeadWhileConnected);
        subscriptions.add(settings.nodeTopicRoot() + "+/status", 1, this::statusArrived);
        subscriptions.add(syncTopic(), 1, this::markerArrived);
        subscriptions.add(settings.internalNodeRoot() + settings.node() + "/conflict", 1, this::conflictArrived);
        for (String problem : store.openProblems()) {
            log.warn("Store of MQTT connection {} at start: {}", settings.name(), problem);
        }
    }

    void start() throws HaException {
        started = true;
        register();
        log.info("MQTT {} (connection {}), {} message(s) waiting in the store", settings, coid, store.depth());
        startThread("edgeha-mqtt-link-" + settings.name(), this::keepConnected);
        startThread("edgeha-mqtt-forward-" + settings.name(), forwarder);
        startThread("edgeha-mqtt-direct-" + settings.name(), direct);
    }

    /**
     * Registers the client with the recovery service as a connection the runtime owns ({@link ConnectionInfo#OWNER}):
     * the {@code ha:} commands refuse to close, detach or control it, and say what to use instead.
     */
    private void register() throws HaException {
        coid = connections.register("mqtt-" + settings.name(), new MqttType(this), client, settings.brokers().get(0),
                Map.of(MqttBridge.NAME, settings.name(),
                        ConnectionInfo.OWNER, "the MQTT bridge (org.edgeha.mqtt), which keeps it connected",
                        ConnectionInfo.OWNER_COMMANDS, "mqtt:status to see it; etc/org.edgeha.mqtt.cfg to change it"));
        connections.attach(coid, explicitRecovery, null, 0);
    }

    /**
     * The connection is the bridge's, but the recovery API lets any bundle close or detach a coid. Without this,
     * a closed coid left the link retrying EBADF forever, and a detached one never recovered (issue 14).
     */
    private void keepOwnedConnection() throws HaException {
        ConnectionInfo info = connections.info(coid).orElse(null);
        if (closed) {
            return;
        }
        if (info == null) {
            int closedCoid = coid;
            if (state == MqttStatus.State.CONNECTED) {
                linkLost(); // closing the coid closed the client without a callback
            }
            register();
            log.warn("MQTT {}: its connection {} was closed from outside the bridge; registered again as connection {}",
                    settings.name(), closedCoid, coid);
        } else if (!info.haAware()) {
            connections.attach(coid, explicitRecovery, null, 0);
            log.warn("MQTT {}: its connection {} was detached from outside the bridge; made HA-aware again",
                    settings.name(), coid);
        }
    }

    private MqttAsyncClient newClient() throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(settings.brokers().get(0), settings.clientId(), new MemoryPersistence());
        c.setCallback(new Callback(c));
        return c;
    }

    private void startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    String name() {
        return settings.name();
    }

    boolean started() {
        return started;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- keeping the connection up --------------------------------------------------------------------

    /** The link thread: whenever the client is not connected, runs an operation under recovery. */
    private void keepConnected() {
        long failuresLogged = 0;
        while (!closed) {
            if (client.isConnected()) {
                awaitSignal(5_000);
                continue;
            }
            long heldFor = holdOffUntil - System.nanoTime();
            if (holdOffUntil != 0 && heldFor > 0) {
                awaitSignal(Math.max(1, TimeUnit.NANOSECONDS.toMillis(heldFor))); // said when it began
                continue;
            }
            try {
                keepOwnedConnection();
                connections.invoke(coid, MqttAsyncClient.class, c -> {
                    if (!c.isConnected()) {
                        throw new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED);
                    }
                    return null;
                });
                failuresLogged = 0;
                onConnected();
            } catch (MqttException | HaException e) {
                if (closed) {
                    return;
                }
                // The probe's own "not connected" says nothing: keep the reason a connect attempt or the loss
                // recorded (e.g. the TLS handshake failure), so that status() keeps saying why.
                if (lastError.isEmpty() || !(e instanceof MqttException m
                        && m.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED)) {
                    lastError = describe(e);
                }
                if (holdOffUntil - System.nanoTime() > 0) {
                    continue; // said already, once per back-off
                }
                if (failuresLogged++ % 60 == 0) { // once per outage, then about once a minute
                    log.warn("MQTT {} not connected to {}: {}", settings.name(), settings.brokers(), lastError);
                }
                pause(1_000);
            }
        }
    }

    /**
     * Called by the recovery strategy through {@link MqttType#connect}: connects a fresh client (see the class
     * comment), which the recovery service installs in place of the previous one and closes that.
     */
    MqttAsyncClient connectClient(String endpoint, Duration timeout) throws Exception {
        if (closed) {
            throw new MqttException(MqttClientException.REASON_CODE_CLIENT_CLOSED);
        }
        attemptedWith = settings;
        List<String> uris = new ArrayList<>();
        if (endpoint != null && !endpoint.isBlank()) {
            String uri = endpoint.contains("://") ? endpoint : scheme() + endpoint;
            if (!retiredBrokers.contains(uri)) { // the registration still names a broker etc/ no longer lists
                uris.add(uri);
            }
        }
        settings.brokers().stream().filter(b -> !uris.contains(b)).forEach(uris::add);
        try {
            if (nodeCheckDue()) {
                checkNodeIsFree(uris.get(0), timeout); // the client id is shared with such a gateway
            }
        } catch (HaException held) {
            throw held;
        } catch (Exception e) { // the broker cannot be reached, or refuses: as the connect itself would
            lastError = uris.get(0) + ": " + explainTls(uris.get(0), describe(e));
            if (refusesMqtt5(e)) {
                throw protocolRefused(uris.get(0), e);
            }
            throw e;
        }
        closeFailedAttempt();
        MqttAsyncClient fresh = newClient();
        client = fresh; // before connecting: its callbacks are those of the current client
        try {
            byte[] will = Presence.format(settings.node(), presence.incarnation(), "offline");
            IMqttToken token = fresh.connect(ClientFactory.options(settings, uris.toArray(new String[0]), will), null, null);
            token.waitForCompletion(Math.max(timeout.toMillis(), settings.connectTimeoutMillis()) + 1_000);
            if (!fresh.isConnected()) {
                throw new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            sessionPresent = token.getSessionPresent();
            return fresh;
        } catch (Exception e) { // also a trust or key store that cannot be read (IOException, GeneralSecurityException)
            lastError = uris.get(0) + ": " + explainTls(uris.get(0), describe(e)); // shown by mqtt:status meanwhile
            synchronized (this) {
                failedAttempt = fresh;
            }
            if (refusesMqtt5(e)) {
                throw protocolRefused(uris.get(0), e);
            }
            throw e;
        }
    }

    /**
     * Whether to look for another gateway on this node before connecting: at the first connect, after a connection that
     * lasted less than {@link #SHORT_CONNECTION_MS} (two gateways that take each other's session over never keep one
     * long), and while a conflict is being settled. Not after the loss of a long-lived connection (a broker restart,
     * a network outage): a probe costs a whole extra connect, about 300 ms with Paho 1.2.5 (its issue 945), which
     * would double the time to come back for every gateway of the domain.
     */
    private boolean nodeCheckDue() {
        long since = connectedAt;
        return since == 0 || nodeSuspect != 0 || conflictSaid != 0
                || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(SHORT_CONNECTION_MS);
    }

    /**
     * Looks, before a connect under the shared client id (which would take another gateway's session over; when:
     * {@link #nodeCheckDue}), whether another gateway announces this node number online: the node's retained status names an incarnation
     * this home never had. A later one (higher incarnation) stands back itself: go on. An earlier one, seen once, may
     * be a gateway that died a moment ago and whose will has not come out yet: look again after the will delay. Seen
     * again, it is a conflict: say it once, tell that gateway (it subscribes to {@code node/{n}/conflict}), and stay
     * out of the domain, looking again every {@link #PROTOCOL_BACKOFF_MS} ms until the node is free. Incarnations
     * start from the clock, so the gateway started later is the one that stays out.
     *
     * @throws HaException EINVAL while the node is taken (the recovery ends at once; the link waits for the hold-off)
     * @throws Exception when the probe cannot reach the broker (the connect would fail alike; checked again next time)
     */
    private void checkNodeIsFree(String uri, Duration timeout) throws Exception {
        try (NodeProbe probe = NodeProbe.open(settings, uri, timeout, probing)) {
            Presence.Status status = probe.ownStatus().orElse(null);
            if (status == null || !status.online() || presence.isOwn(status.incarnation())) {
                if (conflictSaid != 0) {
                    log.info("MQTT {}: node {} is free again; this gateway joins its domain", settings.name(),
                            settings.node());
                }
                nodeSuspect = 0;
                conflictSaid = 0;
                return;
            }
            long other = status.incarnation();
            if (other > presence.incarnation()) {
                // A gateway started later took this node number: it finds this one and stands back (it says so on
                // node/{n}/conflict); this one goes on, and its connect ends that gateway's session if it has one.
                log.info("MQTT {}: node {} is also announced by incarnation {}, started after this one ({}); connecting",
                        settings.name(), settings.node(), other, presence.incarnation());
                nodeSuspect = 0;
                return;
            }
            if (nodeSuspect != other) { // first sight
                nodeSuspect = other;
                long waitMs = TimeUnit.SECONDS.toMillis(settings.willDelaySeconds()) + 1_000;
                holdOffUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
                lastError = "node " + settings.node() + " is announced online by incarnation " + other
                        + "; looking again in " + waitMs + " ms";
                log.info("MQTT {}: {} (a gateway that stopped a moment ago is declared offline by then)",
                        settings.name(), lastError);
            } else {
                holdOffUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROTOCOL_BACKOFF_MS);
                lastError = "node " + settings.node() + " is in use by another gateway (incarnation " + other
                        + "; this one is " + presence.incarnation() + "): this gateway stays out of the domain and looks"
                        + " again every " + PROTOCOL_BACKOFF_MS / 1000 + " s; give one of them another edgeha.node";
                if (conflictSaid != other) {
                    conflictSaid = other;
                    log.error("MQTT {}: {}", settings.name(), lastError);
                    probe.announceConflict(presence.incarnation());
                }
            }
            throw new HaException(HaError.EINVAL, coid, "MQTT connection " + settings.name() + ": " + lastError);
        }
    }

    /** Another gateway found this node number in use by this one and stays out (it said so on node/{n}/conflict). */
    private void conflictArrived(InboundMessage message) {
        java.util.Optional<Long> incarnation = Presence.conflictIncarnation(message.payload());
        if (incarnation.isEmpty()) {
            rejectedInputs.reject(message.topic(), "malformed-conflict");
            return;
        }
        long now = System.nanoTime();
        if (conflictHeardAt == 0 || now - conflictHeardAt > TimeUnit.MILLISECONDS.toNanos(PROTOCOL_BACKOFF_MS)) {
            conflictHeardAt = now;
            log.error("MQTT {}: another gateway (incarnation {}) was started as node {} too; it found this one (incarnation"
                    + " {}) in the domain and stays out: give one of them another edgeha.node", settings.name(), incarnation.get(),
                    settings.node(), presence.incarnation());
        }
    }

    /**
     * A broker that speaks MQTT 3.1.1 only answers a v5 CONNECT with a 3.1.1 return code 1, which Paho reports as
     * "Invalid Return code" (50001); an MQTT 5 broker that refuses the version says 0x84 (Unsupported Protocol
     * Version). No retry can change that: the gateway used to retry 2.7 times a second forever (issue 14).
     */
    static boolean refusesMqtt5(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MqttException m
                    && (m.getReasonCode() == MqttException.REASON_CODE_INVALID_RETURN_CODE
                            || m.getReasonCode() == MqttReturnCode.RETURN_CODE_UNSUPPORTED_PROTOCOL_VERSION
                            || m.getReasonCode() == MqttClientException.REASON_CODE_INVALID_PROTOCOL_VERSION)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Says it once per back-off and makes the link wait {@link #PROTOCOL_BACKOFF_MS} before the next try; the
     * recovery ends at once, because EINVAL (this endpoint cannot serve this connection) is a failure no retry cures.
     */
    private HaException protocolRefused(String broker, Exception cause) {
        holdOffUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROTOCOL_BACKOFF_MS);
        lastError = broker + " does not speak MQTT 5 (" + describe(cause) + "); EdgeHA needs MQTT 5 (will delay, "
                + "session expiry): upgrade the broker or point broker.uris at one that does; next try in "
                + PROTOCOL_BACKOFF_MS / 1000 + " s";
        log.error("MQTT {}: broker {}", settings.name(), lastError);
        HaException refused = new HaException(HaError.EINVAL, coid, "MQTT connection " + settings.name() + ": "
                + lastError);
        refused.initCause(cause);
        return refused;
    }

    /**
     * A broker that refuses the client certificate (another CA, expired, revoked) aborts the TLS session; under TLS
     * 1.3 the client often learns only from a broken pipe or reset when it sends CONNECT. Say what that most likely
     * means, so that the one line in the log and in mqtt:status points at the certificate.
     */
    private String explainTls(String uri, String error) {
        String lower = error.toLowerCase(java.util.Locale.ROOT);
        boolean cut = lower.contains("broken pipe") || lower.contains("connection reset")
                || lower.contains("connection lost") && !lower.contains("alert");
        if (!uri.startsWith("ssl://") || !cut || connects.get() > 0) {
            return error;
        }
        return error + " (the broker closed the TLS connection before MQTT CONNACK: it may refuse this gateway's client "
                + "certificate, e.g. one not signed by the broker's CA; see the broker's log)";
    }

    private synchronized void closeFailedAttempt() {
        if (failedAttempt != null) {
            closeClient(failedAttempt);
            failedAttempt = null;
        }
    }

    private String scheme() {
        String first = settings.brokers().get(0);
        return first.substring(0, first.indexOf("://") + 3);
    }

    private void onConnected() {
        connectedAt = System.nanoTime();
        connects.incrementAndGet();
        lastError = "";
        log.info("MQTT {} connected to {} (session {})", settings.name(), client.getCurrentServerURI(),
                sessionPresent ? "resumed" : "new");
        subscriptions.filters().forEach(this::subscribeAtBroker);
        if (!awaitRetainedStatuses()) {
            log.warn("MQTT {}: the retained node statuses did not all arrive within {} ms; going on with what came",
                    settings.name(), STATUS_WAIT_MS);
        }
        if (presence.settleIncarnation()) {
            // The will of this connection names the old incarnation: connect again so that it names the new one.
            closeQuietly();
            return;
        }
        state = MqttStatus.State.CONNECTED;
        subscriptions.post(presence::connectionUp); // in order with the status messages before it
        publishPresence("online");
        boolean resumed = announcedIncarnation == presence.incarnation();
        announcedIncarnation = presence.incarnation();
        subscriptions.post(() -> presence.connected(resumed));
        wake();
        ConnectionSettings used = attemptedWith;
        if (used != null && used != settings && ConnectionSettings.needsReconnect(used.differences(settings))) {
            reconnectSoon("edgeha-mqtt-reconfigure-"); // changed while this connect was on its way
        }
    }

    /** How long a connect waits for its own marker behind the retained statuses. */
    static final long STATUS_WAIT_MS = 3_000;

    /**
     * Publishes a marker to ourselves after subscribing: the broker sends the retained messages of a subscription
     * before anything published later on the same connection, so once the marker is back every retained status
     * has been delivered.
     */
    private boolean awaitRetainedStatuses() {
        String marker = Long.toHexString(System.nanoTime()) + "-" + connects.get();
        synchronized (syncMarker) {
            awaitedMarker = marker;
        }
        try {
            client.publish(syncTopic(), marker.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
        } catch (MqttException e) {
            return false;
        }
        long deadline = System.nanoTime() + STATUS_WAIT_MS * 1_000_000;
        synchronized (syncMarker) {
            while (awaitedMarker != null && !closed && client.isConnected()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    syncMarker.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return awaitedMarker == null;
        }
    }

    private String syncTopic() {
        return settings.internalNodeRoot() + settings.node() + "/sync";
    }

    private void markerArrived(InboundMessage message) {
        String text = new String(message.payload(), java.nio.charset.StandardCharsets.UTF_8);
        synchronized (syncMarker) {
            if (text.equals(awaitedMarker)) {
                awaitedMarker = null;
                syncMarker.notifyAll();
            }
        }
    }

    private void statusArrived(InboundMessage message) {
        if (!presence.arrived(message)) {
            rejectedInputs.reject(message.topic(), "malformed-status");
        }
    }

    /**
     * Our will came out while we were connected (the broker lost us for a moment, or someone forged it): to the
     * peers this incarnation is dead. Reconnect; the connect takes a new incarnation.
     */
    private void declaredDeadWhileConnected() {
        log.warn("MQTT {}: the broker announced this gateway offline while connected; reconnecting as a new incarnation",
                settings.name());
        reconnectSoon("edgeha-mqtt-rejoin-");
    }

    /** Drops the connection off the calling thread (a delivery or caller thread must not wait for it). */
    private void reconnectSoon(String threadPrefix) {
        Thread t = new Thread(this::closeQuietly, threadPrefix + settings.name());
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly() {
        try {
            client.disconnect(1_000).waitForCompletion(2_000);
        } catch (MqttException e) {
            log.debug("MQTT {}: disconnect failed: {}", settings.name(), e.toString());
        }
        linkLost();
    }

    /** The link is down (dropped by us, or its coid closed from outside): tell the senders and presence, wake the link. */
    private void linkLost() {
        direct.connectionLost();
        state = MqttStatus.State.RECOVERING;
        subscriptions.post(() -> {
            presence.connectionDown(); // after every message that came before the loss
            presence.disconnected();
        });
        wake();
    }

    private void publishPresence(String state) {
        byte[] payload = Presence.format(settings.node(), presence.incarnation(), state);
        try {
            client.publish(settings.statusTopic(), ConnectionMessages.json(payload, 1, true));
        } catch (MqttException e) {
            log.debug("Presence {} not published: {}", state, e.toString());
        }
    }

    private void subscribeAtBroker(String filter, int qos) {
        try {
            client.subscribe(filter, qos);
        } catch (MqttException e) {
            log.warn("MQTT {}: subscribing to {} failed: {} (retried at the next connect)", settings.name(), filter,
                    describe(e));
        }
    }

    void brokenWhileForwarding(MqttException e) {
        lastError = describe(e);
        wake();
        pause(100);
    }

    // ---- the bridge's operations ---------------------------------------------------------------------

    void publish(OutboundMessage message) throws PublishRejectedException {
        if (closed) {
            throw new PublishRejectedException(Reason.UNAVAILABLE, "MQTT connection " + settings.name() + " is closed");
        }
        try {
            ConnectionMessages.validate(message, settings.maxMessageBytes());
            store.append(MessageCodec.encode(message));
            if (!storeError.isEmpty()) {
                storeWritable();
            }
        } catch (StoreFullException e) {
            rejected.incrementAndGet();
            if (e.neverFits()) {
                throw new PublishRejectedException(Reason.TOO_LARGE, "message to " + message.topic()
                        + " is larger than the whole store of MQTT connection " + settings.name(), e);
            }
            throw new PublishRejectedException(Reason.STORE_FULL, "the store of MQTT connection " + settings.name()
                    + " is full (" + store.depth() + " messages, " + store.bytes() + " bytes); policy REJECT_NEW", e);
        } catch (IOException e) {
            rejected.incrementAndGet();
            storeUnwritable(e);
            throw new PublishRejectedException(Reason.UNAVAILABLE, "the store of MQTT connection " + settings.name()
                    + " cannot be written: " + e.getMessage(), e);
        } catch (PublishRejectedException e) {
            rejected.incrementAndGet();
            throw e;
        }
        wake();
    }

    /**
     * An append failed (a full disk, a read-only or failing file system): said once at ERROR, and shown by
     * {@code mqtt:status} until an append succeeds again; every publish meanwhile is refused with the reason.
     */
    private synchronized void storeUnwritable(IOException e) {
        refusedWhileUnwritable++;
        if (storeError.isEmpty()) {
            log.error("The store-and-forward store of MQTT connection {} at {} cannot be written ({}): publishes are "
                    + "refused until it can", settings.name(), settings.storeDir(), e.toString());
        }
        storeError = "store cannot be written: " + e.getMessage();
    }

    private synchronized void storeWritable() {
        if (!storeError.isEmpty()) {
            log.info("The store-and-forward store of MQTT connection {} can be written again; {} publish(es) were "
                    + "refused meanwhile", settings.name(), refusedWhileUnwritable);
            storeError = "";
            refusedWhileUnwritable = 0;
        }
    }

    void publishDirect(OutboundMessage message) throws PublishRejectedException {
        ConnectionMessages.validate(message, settings.maxMessageBytes());
        if (closed || !client.isConnected()) {
            throw new PublishRejectedException(Reason.NOT_CONNECTED, "MQTT connection " + settings.name() + " is not connected");
        }
        direct.send(message);
    }

    long incarnation() {
        return presence.incarnation();
    }

    /**
     * Applies changed settings in place (issue 14): the store, the subscriptions, the presence listeners and the
     * incarnation stay, so Group Services and every other user of the bridge go on as after a short link loss.
     * Settings that a CONNECT carries (brokers, client id, credentials, TLS, keepalive, session expiry, will delay)
     * take a reconnect: a normal DISCONNECT, which makes the broker discard the will, then a connect with the new
     * settings. The retained status still names this incarnation, so the peers see this gateway as it was; with the
     * same client id the session resumes.
     *
     * @return the configuration keys whose values changed, in {@link MqttConfig} order; empty when none did
     * @throws IOException when the store cannot apply new limits (it keeps the previous ones)
     */
    List<String> reconfigure(ConnectionSettings next) throws IOException {
        ConnectionSettings before = settings;
        List<String> changed = before.differences(next);
        if (changed.isEmpty() || closed) {
            return changed;
        }
        store.limits(next.storeMaxMessages(), next.storeMaxBytes(), next.overflow(), next.storeSync());
        before.brokers().stream().filter(b -> !next.brokers().contains(b)).forEach(retiredBrokers::add);
        next.brokers().forEach(retiredBrokers::remove);
        settings = next;
        if (!before.brokers().equals(next.brokers())) {
            holdOffUntil = 0; // a refusal, or a node conflict, was on another broker
        }
        if (ConnectionSettings.needsReconnect(changed) && client.isConnected()) {
            reconnectSoon("edgeha-mqtt-reconfigure-");
        }
        wake();
        return changed;
    }

    long renewIncarnation() {
        long renewed = presence.renew();
        log.info("MQTT {}: this gateway continues as incarnation {}", settings.name(), renewed);
        if (state == MqttStatus.State.CONNECTED && !closed) {
            // The will of this connection names the old incarnation: connect again so that it names the new one.
            reconnectSoon("edgeha-mqtt-renew-");
        }
        return renewed;
    }

    AutoCloseable addPresenceListener(PresenceListener listener) {
        subscriptions.post(() -> {
            presence.add(listener);
            if (state == MqttStatus.State.CONNECTED && !closed) {
                listener.connected(presence.incarnation(), true);
                listener.presence(presence.onlineView(true));
            }
        });
        return () -> presence.remove(listener);
    }

    void rejectedInput(String topic, String reason) {
        rejectedInputs.reject(topic, reason);
    }

    Subscription subscribe(String filter, int qos, org.edgeha.mqtt.api.MessageHandler handler) {
        return subscribe(filter, qos, handler, false);
    }

    /** @param direct whether the handler may run on Paho's callback thread (see {@link Subscriptions}) */
    Subscription subscribe(String filter, int qos, org.edgeha.mqtt.api.MessageHandler handler, boolean direct) {
        Subscriptions.validateFilter(filter, qos);
        Subscriptions.Entry entry = subscriptions.add(filter, qos, handler, direct);
        if (client.isConnected()) {
            subscribeAtBroker(filter, qos);
        }
        return new Subscription() {
            private volatile boolean open = true;

            @Override
            public String topicFilter() {
                return filter;
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    if (!subscriptions.remove(entry) && client.isConnected()) {
                        try {
                            client.unsubscribe(filter);
                        } catch (MqttException e) {
                            log.debug("Unsubscribing {} failed: {}", filter, e.toString());
                        }
                    }
                }
            }
        };
    }

    /** @return the broker URIs this connection is configured with, in the order it tries them */
    List<String> brokers() {
        return settings.brokers();
    }

    MqttStatus status() {
        return new MqttStatus(settings.name(), closed ? MqttStatus.State.CLOSED
                : started ? state : MqttStatus.State.DISCONNECTED,
                client.isConnected() ? client.getCurrentServerURI() : String.join(",", settings.brokers()),
                settings.clientId(), sessionPresent, store.depth(), store.bytes(), forwarder.forwarded.get(),
                store.droppedOldest(), rejected.get() + forwarder.refusedByBroker.get(), store.discardedOnOpen(),
                connects.get(), rejectedInputs.total(),
                storeError.isEmpty() ? lastError : lastError.isEmpty() ? storeError : storeError + "; " + lastError,
                presence.incarnation(),
                presence.onlineView(client.isConnected()).size(), direct.waiting(), direct.dropped(), rejectedInputs.byReason(),
                settings.storeMaxMessages(), settings.storeMaxBytes());
    }

    // ---- coordination ---------------------------------------------------------------------------------

    /** The forwarder waits here for a connected client and something to send; {@code null} to look again. */
    MqttAsyncClient awaitConnectedWithWork() throws InterruptedException {
        synchronized (signal) {
            if (!closed && !(client.isConnected() && store.depth() > 0)) {
                signal.wait(1_000);
            }
        }
        return !closed && client.isConnected() && store.depth() > 0 ? client : null;
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void awaitSignal(long millis) {
        synchronized (signal) {
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void pause(long millis) {
        awaitSignal(millis);
    }

    /** Final close of the client (the recovery service calls this when the connection is closed). */
    void closeClient(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect(1_000).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            log.debug("MQTT disconnect of {} failed: {}", settings.name(), e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            log.debug("MQTT close of {} failed: {}", settings.name(), e.toString());
        }
    }

    void close() {
        if (closed) {
            return;
        }
        if (client.isConnected()) {
            publishPresence("offline"); // a clean DISCONNECT suppresses the will: say it ourselves
        }
        closed = true;
        state = MqttStatus.State.CLOSED;
        direct.close();
        wake();
        threads.forEach(Thread::interrupt);
        NodeProbe probe = probing.getAndSet(null);
        if (probe != null) {
            probe.close();
        }
        try {
            if (coid >= 0) {
                connections.close(coid);
            }
        } catch (HaException | IOException e) {
            log.debug("Closing MQTT connection {}: {}", settings.name(), e.toString());
        }
        closeFailedAttempt(); // the recovery service closed the one it holds
        subscriptions.close();
        try {
            store.close();
        } catch (IOException e) {
            log.warn("Closing the store of MQTT connection {} failed: {}", settings.name(), e.toString());
        }
        log.info("MQTT connection {} closed; {} message(s) kept in the store", settings.name(), store.depth());
    }

    /**
     * One line, no stack trace: the message and those of the causes Paho wraps (TLS and socket errors), e.g.
     * {@code Connection lost (reason 32109): Received fatal alert: certificate_required}.
     */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            String part;
            if (t instanceof MqttException m) {
                if (m.getReasonCode() == MqttException.REASON_CODE_CLIENT_EXCEPTION && m.getCause() != null) {
                    continue; // "Untranslated MqttException": the cause says what happened
                }
                part = m.getMessage() + " (reason " + m.getReasonCode() + ")";
            } else {
                part = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            }
            if (text.indexOf(part) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(part);
            }
        }
        return text.toString();
    }

    /** Paho's callbacks: hand over, never work on Paho's threads (but for direct subscriptions' short handlers). */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient source;

        Callback(MqttAsyncClient source) {
            this.source = source;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (!closed && source == client) { // not a client an attempt since replaced
                state = MqttStatus.State.RECOVERING;
                lastError = response.getException() == null ? "disconnected (reason " + response.getReturnCode() + ")"
                        : describe(response.getException());
                if (response.getReturnCode() == 0x8E) { // Session taken over
                    log.error("MQTT {}: another client connected with client id {} and took this session over: is a "
                            + "second gateway running as node {}? Looking before connecting again", settings.name(),
                            settings.clientId(), settings.node());
                } else {
                    log.warn("MQTT {} lost its connection: {}", settings.name(), lastError);
                }
                direct.connectionLost();
                subscriptions.post(() -> {
                    presence.connectionDown(); // after every message that came before the loss
                    presence.disconnected();
                });
                wake();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            lastError = describe(exception);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            subscriptions.arrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            direct.windowFreed(); // the forwarder waits on its own tokens
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // onConnected() runs on the link thread, after the strategy's connect returned
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
