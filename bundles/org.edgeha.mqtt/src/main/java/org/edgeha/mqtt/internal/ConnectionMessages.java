package org.edgeha.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.PublishRejectedException.Reason;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/** Checking outbound messages and turning them into Paho's. */
final class ConnectionMessages {

    /** Longest MQTT string: a two-byte length. */
    static final int MAX_STRING_BYTES = 65_535;

    private ConnectionMessages() {
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
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
        if (message.responseTopic().isPresent()) {
            try {
                MqttTopicValidator.validate(message.responseTopic().get(), false, true);
            } catch (IllegalArgumentException e) {
                throw new PublishRejectedException(Reason.INVALID_MESSAGE,
                        "'" + message.responseTopic().get() + "' is not a response topic: " + e.getMessage());
            }
        }
        // MQTT strings (and the store's records) hold at most 65535 bytes of UTF-8
        if (message.userProperties().size() > MAX_STRING_BYTES) {
            throw new PublishRejectedException(Reason.INVALID_MESSAGE, message.userProperties().size() + " user properties");
        }
        for (Map.Entry<String, String> p : message.userProperties().entrySet()) {
            if (utf8Length(p.getKey()) > MAX_STRING_BYTES || utf8Length(p.getValue()) > MAX_STRING_BYTES) {
                throw new PublishRejectedException(Reason.INVALID_MESSAGE,
                        "user property longer than " + MAX_STRING_BYTES + " bytes of UTF-8");
            }
        }
        int size = message.payload().length;
        if (size > maxBytes) {
            throw new PublishRejectedException(Reason.TOO_LARGE,
                    "message to " + message.topic() + " has " + size + " bytes; the limit is " + maxBytes);
        }
    }

    /** The MQTT 5 properties of every JSON payload: content type {@code application/json}, payload format UTF-8. */
    static MqttProperties jsonProperties() {
        MqttProperties properties = new MqttProperties();
        properties.setContentType(OutboundMessage.APPLICATION_JSON);
        properties.setPayloadFormat(true);
        return properties;
    }

    /** A JSON message the connection publishes itself (presence). */
    static MqttMessage json(byte[] payload, int qos, boolean retained) {
        return new MqttMessage(payload, qos, retained, jsonProperties());
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
        message.contentType().ifPresent(properties::setContentType);
        if (message.utf8Payload()) {
            properties.setPayloadFormat(true);
        }
        return new MqttMessage(message.payload(), message.qos(), message.retained(), properties);
    }
}
