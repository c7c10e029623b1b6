package org.edgeha.mqtt.internal;

import java.time.Duration;
import java.util.Set;

import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.recovery.api.ConnectionType;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The MQTT connection as the recovery service sees it (kind {@value MqttBridge#CONNECTION_KIND}). The
 * resource is the one Paho client of a managed connection: reconnecting reconnects that same client (to
 * the endpoint the strategy chose), so subscriptions and callbacks stay in place.
 */
final class MqttType implements ConnectionType<MqttAsyncClient> {

    /** Paho reason codes that mean the connection is gone (or never came up). */
    private static final Set<Integer> LOST = Set.of(
            (int) MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
            (int) MqttClientException.REASON_CODE_CONNECTION_LOST,
            (int) MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
            (int) MqttClientException.REASON_CODE_CLIENT_TIMEOUT,
            (int) MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
            (int) MqttClientException.REASON_CODE_CLIENT_CLOSED,
            (int) MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS);

    private final ManagedConnection connection;

    MqttType(ManagedConnection connection) {
        this.connection = connection;
    }

    @Override
    public String kind() {
        return MqttBridge.CONNECTION_KIND;
    }

    @Override
    public Class<MqttAsyncClient> resourceType() {
        return MqttAsyncClient.class;
    }

    @Override
    public boolean isConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MqttException e && LOST.contains(e.getReasonCode())) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true; // the socket under the client failed
            }
        }
        return false;
    }

    @Override
    public void close(MqttAsyncClient client) {
        connection.closeClient(client);
    }

    @Override
    public MqttAsyncClient connect(String endpoint, Duration timeout) throws Exception {
        return connection.connectClient(endpoint, timeout);
    }
}
