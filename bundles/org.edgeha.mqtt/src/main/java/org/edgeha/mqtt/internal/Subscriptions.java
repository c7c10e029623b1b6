package org.edgeha.mqtt.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MessageHandler;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.osgi.service.log.Logger;

/**
 * The subscriptions of one connection and the delivery of messages to their handlers, on one thread of
 * ours (never Paho's), in arrival order. Thread-safe.
 */
final class Subscriptions implements AutoCloseable {

    record Entry(long id, String filter, int qos, MessageHandler handler) {
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService delivery;
    private final Logger log;

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
        Entry entry = new Entry(ids.incrementAndGet(), filter, qos, handler);
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

    /** Called on Paho's thread: hands the message to our delivery thread at once. */
    void arrived(String topic, MqttMessage message) {
        Map<String, String> properties = new HashMap<>();
        List<UserProperty> user = message.getProperties() == null ? null : message.getProperties().getUserProperties();
        if (user != null) {
            user.forEach(p -> properties.put(p.getKey(), p.getValue()));
        }
        MqttProperties mqtt = message.getProperties();
        Optional<String> responseTopic = Optional.ofNullable(mqtt == null ? null : mqtt.getResponseTopic());
        Optional<byte[]> correlation = Optional.ofNullable(mqtt == null ? null : mqtt.getCorrelationData());
        InboundMessage inbound = new InboundMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
                message.isDuplicate(), properties, responseTopic, correlation);
        for (Entry entry : entries.values()) {
            if (MqttTopicValidator.isMatched(entry.filter(), topic)) {
                deliver(entry, inbound);
            }
        }
    }

    private void deliver(Entry entry, InboundMessage message) {
        Consumer<Entry> call = e -> {
            try {
                e.handler().onMessage(message);
            } catch (RuntimeException | LinkageError failure) {
                log.warn("Handler of subscription {} failed on a message to {}: {}", e.filter(), message.topic(),
                        failure.toString());
            }
        };
        try {
            delivery.execute(() -> {
                if (entries.containsKey(entry.id())) { // closed meanwhile: not delivered
                    call.accept(entry);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the connection is closing; nothing to deliver to
        }
    }

    /** Runs a task on the delivery thread, in order with the messages (presence events). */
    void post(Runnable task) {
        try {
            delivery.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("MQTT delivery task failed: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the connection is closing
        }
    }

    @Override
    public void close() {
        entries.clear();
        delivery.shutdownNow();
    }
}
