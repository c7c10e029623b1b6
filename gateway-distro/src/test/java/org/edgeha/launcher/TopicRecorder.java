package org.edgeha.launcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain MQTT 5 client, the way another system would watch EdgeHA: subscribes to one topic filter at QoS 1 and
 * records every message in arrival order, and the latest payload per topic. It connects again on its own within
 * about 20 ms of losing the broker and subscribes again each time (Paho's automatic reconnect waits a second or
 * more, and does not restore the subscriptions of a clean session).
 *
 * <p>Thread-safe; the reconnecting thread is a daemon named {@code topic-recorder-N}.
 */
final class TopicRecorder implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    /** One message as received. */
    record Received(String topic, String payload, boolean retained) {
    }

    private final String broker;
    private final String filter;
    private final String clientId;
    private final List<Received> all = new ArrayList<>();
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    private final Thread keeper;
    private volatile MqttClient client;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private final AtomicInteger subscribes = new AtomicInteger();

    private TopicRecorder(String broker, String filter) {
        this.broker = broker;
        this.filter = filter;
        this.clientId = "topic-recorder-" + COUNT.incrementAndGet() + "-" + ProcessHandle.current().pid();
        this.keeper = new Thread(this::keepConnected, clientId);
        keeper.setDaemon(true);
    }

    /** Connects to {@code broker}, subscribes to {@code filter} and returns once subscribed (or fails after 10 s). */
    static TopicRecorder start(String broker, String filter) throws InterruptedException {
        TopicRecorder r = new TopicRecorder(broker, filter);
        r.keeper.start();
        if (!r.awaitSubscribed(10, TimeUnit.SECONDS)) {
            r.close();
            throw new AssertionError("recorder could not subscribe to " + filter + " on " + broker);
        }
        return r;
    }

    private void keepConnected() {
        while (!closed) {
            MqttClient c = client;
            if (c == null || !c.isConnected()) {
                subscribed = false;
                connectOnce();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connectOnce() {
        MqttClient old = client;
        if (old != null) {
            try {
                old.close(true);
            } catch (MqttException e) {
                // already gone
            }
        }
        try {
            MqttClient c = new MqttClient(broker, clientId, new MemoryPersistence());
            c.setCallback(new Callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(1);
            options.setKeepAliveInterval(2);
            client = c;
            c.connect(options);
            c.subscribe(filter, 1);
            subscribed = true;
            subscribes.incrementAndGet();
        } catch (MqttException e) {
            // broker down: the next turn tries again
        }
    }

    /** Waits until the client is connected and subscribed (e.g. after the broker came back). */
    boolean awaitSubscribed(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            MqttClient c = client;
            if (subscribed && c != null && c.isConnected()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** How often it subscribed (1 plus the reconnects). */
    int subscribes() {
        return subscribes.get();
    }

    /** The latest payload received on {@code topic}. */
    Optional<String> latest(String topic) {
        return Optional.ofNullable(latest.get(topic));
    }

    /** Waits until the latest payload on {@code topic} matches; returns it, or empty at the deadline. */
    Optional<String> awaitLatest(String topic, Predicate<String> match, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            String p = latest.get(topic);
            if (p != null && match.test(p)) {
                return Optional.of(p);
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /**
     * Waits until every one of {@code expected} has arrived on a topic {@code topic} accepts (each payload read
     * through {@code key}, e.g. to strip padding), or {@code seconds} have passed.
     *
     * @return the keys received so far, each once, in the order of their first arrival
     */
    List<String> awaitFirstArrivals(Predicate<String> topic, UnaryOperator<String> key, Collection<String> expected,
            int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<String> firsts = new ArrayList<>(new LinkedHashSet<>(received().stream()
                    .filter(r -> topic.test(r.topic())).map(r -> key.apply(r.payload())).toList()));
            if (firsts.containsAll(expected) || System.nanoTime() > deadline) {
                return firsts;
            }
            Thread.sleep(100);
        }
    }

    /** Every message received so far, in arrival order. */
    List<Received> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        keeper.interrupt();
        keeper.join(5_000);
        MqttClient c = client;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1_000);
                }
                c.close(true);
            } catch (MqttException e) {
                // best effort
            }
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            synchronized (all) {
                all.add(new Received(topic, payload, message.isRetained()));
            }
            latest.put(topic, payload);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            subscribed = false;
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
