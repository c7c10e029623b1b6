package org.edgeha.benchmarks;

import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** What the raw MQTT anchors ({@link RawHop}, {@link RawThroughput}) share: their connect options and callback. */
final class RawClients {

    private RawClients() {
    }

    /** Clean start, no reconnect, TCP_NODELAY sockets like the gateways'. */
    static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setSocketFactory(new NoDelaySocketFactory());
        return options;
    }

    /**
     * A subscriber's callback: each message to {@code onMessage} (on Paho's callback thread), a lost connection or an
     * error to {@code onFailure}; the rest of Paho's callbacks are of no interest here.
     */
    static MqttCallback subscriber(String name, Consumer<MqttMessage> onMessage, Consumer<Exception> onFailure) {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(message);
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                onFailure.accept(new IllegalStateException(name + " subscriber disconnected: " + response));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                onFailure.accept(exception);
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
        };
    }
}
