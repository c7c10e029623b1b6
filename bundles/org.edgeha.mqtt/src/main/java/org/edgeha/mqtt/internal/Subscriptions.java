package org.edgeha.mqtt.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MessageHandler;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.osgi.service.log.Logger;

/**
 * The subscriptions of one connection and the delivery of messages to their handlers, in arrival order, one
 * call at a time: on one thread of ours ({@code edgeha-mqtt-deliver-NAME}), or, for a {@linkplain Entry#direct()
 * direct} subscription (short, non-blocking handlers such as Group Services'), on Paho's callback thread itself.
 *
 * <p>Why and how: handing every message to the delivery thread costs a thread wake-up per message, as much as the
 * broker's own hop. A direct handler runs on Paho's thread only when nothing is pending for the delivery thread
 * ({@link #pending} is 0), under the same {@link #gate} every delivery-thread task holds, so the order is the arrival
 * order (an earlier message still queued keeps the later ones behind it) and no two handlers or presence tasks ever
 * overlap, as with the delivery thread alone. Thread-safe.
 */
final class Subscriptions implements AutoCloseable {

    /** @param direct whether the handler may run on Paho's callback thread (it is short and never blocks) */
    record Entry(long id, String filter, int qos, MessageHandler handler, boolean direct) {
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService delivery;
    private final Logger log;
    /** Held by whoever runs a handler or a presence task: the delivery thread, or Paho's for a direct handler. */
    private final ReentrantLock gate = new ReentrantLock();
    /** Tasks handed to the delivery thread and not finished: while any is, messages queue behind them. */
    private final AtomicInteger pending = new AtomicInteger();

    Subscriptions(String connectionName, Logger log) {
        this.log = log;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeha-mqtt-deliver-" + connectionName);
            t.setDaemon(true);
            return t;
        });
    }

    static void validateFilter(String filter, int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        try {
            MqttTopicValidator.validate(filter, true, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + filter + "' is not a valid topic filter: " + e.getMessage());
        }
    }

    Entry add(String filter, int qos, MessageHandler handler) {
        return add(filter, qos, handler, false);
    }

    Entry add(String filter, int qos, MessageHandler handler, boolean direct) {
        Entry entry = new Entry(ids.incrementAndGet(), filter, qos, handler, direct);
        entries.put(entry.id(), entry);
        return entry;
    }

    /** @return whether another subscription still uses the filter (then the broker keeps it) */
    boolean remove(Entry entry) {
        entries.remove(entry.id());
        return entries.values().stream().anyMatch(e -> e.filter().equals(entry.filter()));
    }

    /** @return the highest QoS asked per filter, to (re)subscribe at the broker */
    Map<String, Integer> filters() {
        Map<String, Integer> filters = new HashMap<>();
        entries.values().forEach(e -> filters.merge(e.filter(), e.qos(), Math::max));
        return filters;
    }

    /**
     * Called on Paho's callback thread: runs a direct handler there when nothing waits for the delivery thread,
     * else hands the message to the delivery thread at once.
     */
    void arrived(String topic, MqttMessage message) {
        MqttProperties mqtt = message.getProperties();
        List<UserProperty> user = mqtt == null ? null : mqtt.getUserProperties();
        Map<String, String> properties;
        if (user == null || user.isEmpty()) {
            properties = Map.of();
        } else {
            properties = new HashMap<>();
            for (UserProperty p : user) {
                properties.put(p.getKey(), p.getValue());
            }
        }
        Optional<String> responseTopic = Optional.ofNullable(mqtt == null ? null : mqtt.getResponseTopic());
        Optional<byte[]> correlation = Optional.ofNullable(mqtt == null ? null : mqtt.getCorrelationData());
        InboundMessage inbound = new InboundMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
                message.isDuplicate(), properties, responseTopic, correlation);
        for (Entry entry : entries.values()) {
            if (MqttTopicValidator.isMatched(entry.filter(), topic)) {
                if (!entry.direct() || !deliverHere(entry, inbound)) {
                    deliver(entry, inbound);
                }
            }
        }
    }

    /**
     * Runs a direct handler on the calling (Paho's) thread if nothing is pending for the delivery thread: then every
     * message that arrived before has been handled, and holding the gate keeps tasks posted meanwhile after it.
     *
     * @return whether it ran here; if not, the caller queues it
     */
    private boolean deliverHere(Entry entry, InboundMessage message) {
        if (pending.get() != 0) {
            return false;
        }
        gate.lock();
        try {
            if (pending.get() != 0) {
                return false; // queued meanwhile (e.g. a presence task): keep the order
            }
            call(entry, message);
            return true;
        } finally {
            gate.unlock();
        }
    }

    private void call(Entry entry, InboundMessage message) {
        try {
            entry.handler().onMessage(message);
        } catch (RuntimeException | LinkageError failure) {
            log.warn("Handler of subscription {} failed on a message to {}: {}", entry.filter(), message.topic(),
                    failure.toString());
        }
    }

    private void deliver(Entry entry, InboundMessage message) {
        execute(() -> {
            if (entries.containsKey(entry.id())) { // closed meanwhile: not delivered
                call(entry, message);
            }
        });
    }

    /** Runs a task on the delivery thread, in order with the messages (presence events). */
    void post(Runnable task) {
        execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("MQTT delivery task failed: {}", e.toString());
            }
        });
    }

    /** Queues a task for the delivery thread; it runs holding the gate, and counts as pending until it ran. */
    private void execute(Runnable task) {
        pending.incrementAndGet();
        try {
            delivery.execute(() -> {
                gate.lock();
                try {
                    task.run();
                } finally {
                    pending.decrementAndGet();
                    gate.unlock();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            pending.decrementAndGet(); // the connection is closing; nothing to deliver to
        }
    }

    @Override
    public void close() {
        entries.clear();
        delivery.shutdownNow();
    }
}
