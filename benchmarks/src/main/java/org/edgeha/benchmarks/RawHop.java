package org.edgeha.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The broker's own one-hop latency: a plain Paho v5 publisher and a subscriber (two connections, TCP_NODELAY
 * sockets like the gateways'), QoS 1, 64-byte payloads, one message at a time, measured from the publish call to
 * the subscriber's {@code messageArrived}.
 */
final class RawHop implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;

    private final MqttAsyncClient publisher;
    private final MqttAsyncClient subscriber;
    private final String topic = "bench/raw/" + System.nanoTime();
    private final byte[] payload = new byte[64];
    private volatile CompletableFuture<Long> arrival = new CompletableFuture<>();

    RawHop(String broker) throws MqttException {
        publisher = new MqttAsyncClient(broker, "bench-raw-pub-" + System.nanoTime(), new MemoryPersistence());
        subscriber = new MqttAsyncClient(broker, "bench-raw-sub-" + System.nanoTime(), new MemoryPersistence());
        subscriber.setCallback(RawClients.subscriber("raw hop", message -> arrival.complete(System.nanoTime()),
                failure -> arrival.completeExceptionally(failure)));
        subscriber.connect(RawClients.options()).waitForCompletion(TIMEOUT_MS);
        subscriber.subscribe(new MqttSubscription(topic, 1)).waitForCompletion(TIMEOUT_MS);
        publisher.connect(RawClients.options()).waitForCompletion(TIMEOUT_MS);
    }


    /**
     * @param count recorded samples, after {@code warmup} unrecorded ones
     * @return publish→deliver nanoseconds; each message also waits for its PUBACK, then a random pause
     */
    long[] sample(int warmup, int count, int pauseMinMicros, int pauseMaxMicros) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < warmup + count; i++) {
            CompletableFuture<Long> f = new CompletableFuture<>();
            arrival = f;
            long t0 = System.nanoTime();
            IMqttToken sent = publisher.publish(topic, payload, 1, false);
            long t1 = f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            sent.waitForCompletion(TIMEOUT_MS);
            if (i >= warmup) {
                nanos[i - warmup] = t1 - t0;
            }
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(pauseMinMicros, pauseMaxMicros));
        }
        return nanos;
    }

    @Override
    public void close() throws MqttException {
        for (MqttAsyncClient c : new MqttAsyncClient[] {publisher, subscriber}) {
            if (c.isConnected()) {
                c.disconnect().waitForCompletion(TIMEOUT_MS);
            }
            c.close();
        }
    }
}
