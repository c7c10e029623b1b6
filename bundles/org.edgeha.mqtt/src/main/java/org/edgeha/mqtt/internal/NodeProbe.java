package org.edgeha.mqtt.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Looks, before the gateway connects under its client id, at what the broker holds as its node's status, on a short
 * connection of its own (client id {@code <client id>-probe}, clean session, no will). Connecting under the shared
 * client id would take over the session of a gateway that already runs as this node (its queued messages included):
 * two gateways with one node number used to kick each other off the broker several times a second (issue 14).
 *
 * <p>One probe per call, on the calling thread (the link's recovery); blocks up to the timeout.
 */
final class NodeProbe implements AutoCloseable {

    private final MqttAsyncClient client;
    private final ConnectionSettings settings;
    private final AtomicReference<byte[]> status = new AtomicReference<>();
    private final CountDownLatch markerBack = new CountDownLatch(1);
    private final String markerTopic;

    private NodeProbe(ConnectionSettings settings, String uri) throws MqttException {
        this.settings = settings;
        this.client = new MqttAsyncClient(uri, settings.clientId() + "-probe", new MemoryPersistence());
        this.markerTopic = settings.nodeTopicRoot() + settings.node() + "/probe";
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (topic.equals(settings.statusTopic())) {
                    status.set(message.getPayload());
                } else if (topic.equals(markerTopic)) {
                    markerBack.countDown();
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
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
        });
    }

    /**
     * Connects and reads the node's retained status: once a marker published after subscribing is back, every
     * retained message of the subscription has come (the broker sends them first).
     *
     * @param inFlight set to the probe at once, for a concurrent {@link #close} while it connects
     * @return the probe, connected; {@link #close} it
     * @throws Exception when the broker cannot be reached or refuses (the caller's connect would fail alike)
     */
    static NodeProbe open(ConnectionSettings settings, String uri, Duration timeout,
            AtomicReference<NodeProbe> inFlight) throws Exception {
        NodeProbe probe = new NodeProbe(settings, uri);
        inFlight.set(probe); // so that closing the connection can end a probe still connecting
        try {
            long millis = Math.max(1_000, timeout.toMillis());
            probe.client.connect(ClientFactory.probeOptions(settings, new String[] {uri}), null, null)
                    .waitForCompletion(millis);
            // QoS 0 throughout: nothing is left to acknowledge when the probe disconnects, so the disconnect does not
            // wait for a quiesce (at QoS 1 an incoming message still unacknowledged made it wait)
            probe.client.subscribe(new String[] {settings.statusTopic(), probe.markerTopic}, new int[] {0, 0})
                    .waitForCompletion(millis);
            probe.client.publish(probe.markerTopic, new byte[0], 0, false).waitForCompletion(millis);
            if (!probe.markerBack.await(millis, TimeUnit.MILLISECONDS)) {
                throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            return probe;
        } catch (Exception e) {
            probe.close();
            throw e;
        }
    }

    /** @return the node's status the broker holds (retained), if any and well-formed */
    Optional<Presence.Status> ownStatus() {
        byte[] payload = status.get();
        return payload == null || payload.length == 0 ? Optional.empty() : Presence.parse(payload);
    }

    /** Tells the gateway that holds the node (it subscribes to {@code node/{n}/conflict}) who stays out, and why. */
    void announceConflict(long ourIncarnation) throws MqttException {
        client.publish(settings.nodeTopicRoot() + settings.node() + "/conflict",
                Presence.format(settings.node(), ourIncarnation, "conflict"), 1, false).waitForCompletion(2_000);
    }

    @Override
    public void close() {
        try {
            // at once: a normal disconnect waits about 100 ms in Paho 1.2.5, and a probe has nothing to finish. Also
            // while still connecting (a stop right after start): that stops Paho's receiver thread, which would
            // otherwise outlive the bundle and fail on its next class load.
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException | RuntimeException e) {
            // a probe: nothing to keep (Paho 1.2.5 throws a NullPointerException for a client that never connected)
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // a probe: nothing to keep
        }
    }
}
