package org.edgeha.mqtt.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.PublishRejectedException.Reason;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Direct (not stored) publishes. Paho has no in-flight setting of its own: once the broker's Receive Maximum
 * of unacknowledged QoS 1/2 publishes is reached it refuses with 32202. Then messages wait here, in order,
 * and a thread of ours ({@code edgeha-mqtt-direct-NAME}) sends them as acknowledgements free the window.
 * While nothing waits, the caller's thread publishes at once. A lost connection drops what waits (counted):
 * direct traffic is worthless later by contract. Thread-safe.
 */
final class DirectSender implements Runnable {

    /** Most messages waiting for the window; beyond it the broker is not keeping up and callers are told. */
    static final int MAX_WAITING = 10_000;

    private final Supplier<MqttAsyncClient> client; // the connection's current one
    private final String name;
    private final ArrayDeque<OutboundMessage> waiting = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    DirectSender(Supplier<MqttAsyncClient> client, String name) {
        this.client = client;
        this.name = name;
    }

    void send(OutboundMessage message) throws PublishRejectedException {
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                try {
                    client.get().publish(message.topic(), ConnectionMessages.toPaho(message));
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        throw new PublishRejectedException(Reason.NOT_CONNECTED, "MQTT connection " + name + ": "
                                + e.getMessage() + " (reason " + e.getReasonCode() + ")", e);
                    }
                }
            }
            if (waiting.size() >= MAX_WAITING) {
                throw new PublishRejectedException(Reason.UNAVAILABLE, "MQTT connection " + name + ": " + MAX_WAITING
                        + " direct publishes already wait for the broker's in-flight window");
            }
            waiting.addLast(message);
            waiting.notifyAll();
        }
    }

    /**
     * The broker acknowledged a publish: the window has room again. Wakes the sender thread only when messages
     * wait for it: called on Paho's callback thread for every acknowledgement, and a wake-up for nothing per
     * direct publish cost as much CPU as the publish itself.
     */
    void windowFreed() {
        synchronized (waiting) {
            if (!waiting.isEmpty()) {
                waiting.notifyAll();
            }
        }
    }

    /** The connection broke: what waits is dropped. */
    void connectionLost() {
        synchronized (waiting) {
            dropped.addAndGet(waiting.size());
            waiting.clear();
        }
    }

    long waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    long dropped() {
        return dropped.get();
    }

    void close() {
        closed = true;
        connectionLost();
    }

    @Override
    public void run() {
        while (!closed) {
            synchronized (waiting) {
                try {
                    OutboundMessage next = waiting.peekFirst();
                    if (next == null) {
                        waiting.wait(1_000);
                        continue;
                    }
                    client.get().publish(next.topic(), ConnectionMessages.toPaho(next));
                    waiting.removeFirst();
                } catch (MqttException e) {
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        waitQuietly(5); // woken early by windowFreed()
                    } else {
                        connectionLost();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            waiting.wait(millis);
        } catch (InterruptedException e) {
            closed = true;
            Thread.currentThread().interrupt();
        }
    }
}
