package org.edgeha.mqtt.internal;

import java.util.ArrayList;
import java.util.List;

import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.PublishRejectedException.Reason;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/** Checking outbound messages and turning them into Paho's. */
final class ConnectionMessages {

    private ConnectionMessages() {
    }

    static void validate(OutboundMessage message, int maxBytes) throws PublishRejectedException {
        if (message.qos() < 0 || message.qos() > 2) {
            throw new PublishRejectedException(Reason.INVALID_MESSAGE, "QoS must be 0, 1 or 2, not " + message.qos());
        }
        try {
            MqttTopicValidator.validate(message.topic(), false, true);
        } catch (IllegalArgumentException e) {
            throw new PublishRejectedException(Reason.INVALID_MESSAGE,
                    "'" + message.topic() + "' is not a topic to publish to: " + e.getMessage());
        }
        int size = message.payload().length;
        if (size > maxBytes) {
            throw new PublishRejectedException(Reason.TOO_LARGE,
                    "message to " + message.topic() + " has " + size + " bytes; the limit is " + maxBytes);
        }
    }

    static MqttMessage toPaho(OutboundMessage message) {
        MqttProperties properties = new MqttProperties();
        if (!message.userProperties().isEmpty()) {
            List<UserProperty> user = new ArrayList<>();
            message.userProperties().forEach((k, v) -> user.add(new UserProperty(k, v)));
            properties.setUserProperties(user);
        }
        message.responseTopic().ifPresent(properties::setResponseTopic);
        message.correlationData().ifPresent(properties::setCorrelationData);
        return new MqttMessage(message.payload(), message.qos(), message.retained(), properties);
    }
}
