package org.edgeha.mqtt.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.edgeha.mqtt.api.OverflowPolicy;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Settings for test connections, a reconnecting recovery function, and a plain Paho observer. */
final class MqttTestSupport {

    private MqttTestSupport() {
    }

    static ConnectionSettings settings(String broker, Path storeDir, long maxMessages, OverflowPolicy overflow) {
        return settings(broker, storeDir, maxMessages, overflow, 7);
    }

    /** Settings for node {@code node} of domain {@code test}: keepalive 5 s, will delay 1 s. */
    static ConnectionSettings settings(String broker, Path storeDir, long maxMessages, OverflowPolicy overflow, int node) {
        return new ConnectionSettings("test", node, List.of(broker), "edgeha-test-" + node + "-" + System.nanoTime(), "",
                new char[0], 5, 60, 1, 1000, 65_536, storeDir, maxMessages, 16L * 1024 * 1024, overflow, false,
                "edgeha/test/node/" + node + "/status",
                new ConnectionSettings.TlsSettings("", new char[0], "", new char[0]));
    }

    /**
     * What a strategy does: reconnect until the broker answers, for at most the budget; only while the
     * gate is open, so that a test can get its observer subscribed before the connection comes back.
     */
    static RecoveryFunction reconnecting(HaConnections connections, Duration budget, Gate gate) {
        return (coid, handle) -> {
            gate.awaitOpen();
            long deadline = System.nanoTime() + budget.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    return connections.reconnect(coid, null, Duration.ofMillis(500));
                } catch (Exception e) {
                    Thread.sleep(20); // the broker is down: try again shortly
                }
            }
            return RecoveryFunction.FAILED;
        };
    }

    /** Open by default; {@link #close()} holds reconnects back until {@link #open()}. */
    static final class Gate {
        private boolean open = true;

        synchronized void close() {
            open = false;
        }

        synchronized void open() {
            open = true;
            notifyAll();
        }

        synchronized void awaitOpen() throws InterruptedException {
            while (!open) {
                wait();
            }
        }
    }

    /** A plain MQTT client that collects what arrives on a filter. */
    static final class Observer implements AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final MqttAsyncClient client;

        Observer(String broker, String filter) throws MqttException {
            this(broker, filter, options -> { });
        }

        /** @param tune adjusts the connect options, e.g. a TLS socket factory */
        Observer(String broker, String filter, java.util.function.Consumer<MqttConnectionOptions> tune)
                throws MqttException {
            client = new MqttAsyncClient(broker, "observer-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    received.add(topic + "=" + new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttToken t) {
                }

                @Override
                public void connectComplete(boolean reconnect, String uri) {
                }

                @Override
                public void authPacketArrived(int code, MqttProperties p) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            tune.accept(options);
            client.connect(options).waitForCompletion(5_000);
            client.subscribe(filter, 1).waitForCompletion(5_000);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
            client.close(true);
        }
    }
}
