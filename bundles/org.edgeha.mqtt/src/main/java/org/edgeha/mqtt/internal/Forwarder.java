package org.edgeha.mqtt.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.edgeha.mqtt.api.OutboundMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.osgi.service.log.Logger;

/**
 * Drains the store-and-forward store, oldest first, one message at a time: publish, wait for the broker's
 * acknowledgement, remove from the store. A message is removed only once the broker has it, so a crash
 * or a lost connection at any point means "sent again" (at least once), never "lost". Runs on its own
 * thread ({@code edgeha-mqtt-forward-NAME}) while the connection is up.
 */
final class Forwarder implements Runnable {

    /** Longest wait for one acknowledgement before the connection is presumed broken. */
    static final long ACK_TIMEOUT_MS = 10_000;

    private final ManagedConnection connection;
    private final MessageStore store;
    private final Logger log;
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong refusedByBroker = new AtomicLong();

    Forwarder(ManagedConnection connection, MessageStore store, Logger log) {
        this.connection = connection;
        this.store = store;
        this.log = log;
    }

    @Override
    public void run() {
        while (!connection.isClosed()) {
            try {
                MqttAsyncClient client = connection.awaitConnectedWithWork();
                if (client == null) {
                    continue;
                }
                List<MessageStore.Entry> next = store.peek(1);
                if (!next.isEmpty()) {
                    forward(client, next.get(0));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.error("Store-and-forward store of {} cannot be read: {}", connection.name(), e.toString());
                connection.pause(1_000);
            }
        }
    }

    private void forward(MqttAsyncClient client, MessageStore.Entry entry) throws IOException, InterruptedException {
        OutboundMessage message;
        try {
            message = MessageCodec.decode(entry.record());
        } catch (IOException e) {
            // Cannot happen for records we wrote; never let one bad record block the rest.
            log.error("Stored message {} of {} is unreadable and dropped: {}", entry.sequence(), connection.name(), e.getMessage());
            store.acknowledge(entry.sequence());
            return;
        }
        IMqttToken token;
        try {
            token = client.publish(message.topic(), ConnectionMessages.toPaho(message));
        } catch (RuntimeException e) {
            // Paho refused it before sending (the record decoded, but is no message it takes): as for an unreadable
            // record, drop it rather than stop the forwarder thread and with it every later message.
            log.error("Stored message {} of {} cannot be published and is dropped: {}", entry.sequence(), connection.name(),
                    e.toString());
            store.acknowledge(entry.sequence());
            return;
        } catch (MqttException e) {
            connection.brokenWhileForwarding(e);
            return;
        }
        try {
            token.waitForCompletion(ACK_TIMEOUT_MS);
            int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                refusedByBroker.incrementAndGet();
                log.error("Broker refused stored message {} to {} (reason 0x{}); dropped", entry.sequence(), message.topic(),
                        Integer.toHexString(codes[0]));
            } else {
                forwarded.incrementAndGet();
            }
            store.acknowledge(entry.sequence());
        } catch (MqttException e) {
            // Not acknowledged: it stays first in the store and goes out again after the reconnect.
            connection.brokenWhileForwarding(e);
        }
    }
}
