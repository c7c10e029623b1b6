package org.edgeha.benchmarks;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The broker's own QoS 1 throughput: one plain Paho v5 publisher and one subscriber (TCP_NODELAY sockets like
 * the gateways'), 64-byte payloads, published as fast as a window of unacknowledged messages allows. Paho v5 has
 * no {@code setMaxInflight}: the broker's Receive Maximum (Mosquitto's {@code max_inflight_messages}) is the
 * limit, and a window above it gives error 32202, so the window is kept within it. Every message carries its
 * run and number, so the subscriber can tell lost and duplicated ones.
 */
final class RawThroughput implements AutoCloseable {

    /** What one run gave. */
    record Result(int window, long published, long delivered, long lost, long duplicates, long failed,
            double seconds) {
        double perSecond() {
            return delivered / seconds;
        }
    }

    private static final int TIMEOUT_MS = 10_000;
    /** The window asked for by default: half Mosquitto's {@code max_inflight_messages 1000}. */
    static final int WANTED_WINDOW = 500;

    private final MqttAsyncClient publisher;
    private final MqttAsyncClient subscriber;
    private final String topic = "bench/throughput/" + System.nanoTime();
    private final int window;
    private final AtomicLong failed = new AtomicLong();
    private final Object lock = new Object();
    private long run;
    private BitSet seen = new BitSet();
    private long delivered;
    private long duplicates;
    private long lastArrival;

    RawThroughput(String broker) throws MqttException {
        publisher = new MqttAsyncClient(broker, "bench-tput-pub-" + System.nanoTime(), new MemoryPersistence());
        subscriber = new MqttAsyncClient(broker, "bench-tput-sub-" + System.nanoTime(), new MemoryPersistence());
        subscriber.setCallback(RawClients.subscriber("raw throughput", message -> arrived(message.getPayload()),
                failure -> { })); // a lost message shows in the counts
        subscriber.connect(RawClients.options()).waitForCompletion(TIMEOUT_MS);
        subscriber.subscribe(new MqttSubscription(topic, 1)).waitForCompletion(TIMEOUT_MS);
        IMqttToken connected = publisher.connect(RawClients.options());
        connected.waitForCompletion(TIMEOUT_MS);
        MqttProperties props = connected.getResponseProperties();
        Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
        window = Math.min(WANTED_WINDOW, receiveMaximum == null ? 65_535 : receiveMaximum);
    }


    /** @return the largest publish window the broker allows (its Receive Maximum), at most {@link #WANTED_WINDOW} */
    int window() {
        return window;
    }

    private void arrived(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        long r = b.getLong();
        int index = (int) b.getLong();
        long now = System.nanoTime();
        synchronized (lock) {
            if (r != run) {
                return; // a late message of an earlier run
            }
            if (seen.get(index)) {
                duplicates++;
            } else {
                seen.set(index);
                delivered++;
                lastArrival = now;
            }
        }
    }

    /**
     * Publishes for {@code seconds}, then waits for every acknowledgement and for the subscriber to stop
     * receiving. Delivered per second counts from the first publish to the last new message delivered.
     *
     * @param wantedWindow at most this many messages unacknowledged (and never more than {@link #window()}); 1 is
     *     stop-and-wait: each publish waits for the previous one's PUBACK
     */
    Result run(double seconds, int wantedWindow) throws Exception {
        int w = Math.max(1, Math.min(wantedWindow, window));
        long id;
        synchronized (lock) {
            id = ++run;
            seen = new BitSet();
            delivered = 0;
            duplicates = 0;
            lastArrival = 0;
        }
        failed.set(0);
        Semaphore free = new Semaphore(w);
        MqttActionListener done = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                free.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                failed.incrementAndGet();
                free.release();
            }
        };
        byte[] payload = new byte[64];
        ByteBuffer b = ByteBuffer.wrap(payload);
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (seconds * 1e9);
        int published = 0;
        while (System.nanoTime() - deadline < 0) {
            if (!free.tryAcquire(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("raw throughput: no acknowledgement within " + TIMEOUT_MS + " ms");
            }
            b.clear();
            b.putLong(id).putLong(published);
            publisher.publish(topic, payload.clone(), 1, false, null, done);
            published++;
        }
        if (!free.tryAcquire(w, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("raw throughput: acknowledgements missing after 30 s");
        }
        // The subscriber may still be behind: wait until every message arrived, or nothing came for 2 s.
        long last = -1;
        long quietSince = System.nanoTime();
        while (true) {
            long now;
            synchronized (lock) {
                now = delivered;
            }
            if (now >= published) {
                break;
            }
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 2_000_000_000L) {
                break;
            }
            Thread.sleep(10);
        }
        synchronized (lock) {
            return new Result(w, published, delivered, published - delivered, duplicates, failed.get(),
                    (lastArrival - t0) / 1e9);
        }
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
