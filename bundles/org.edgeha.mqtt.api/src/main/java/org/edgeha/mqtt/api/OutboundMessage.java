package org.edgeha.mqtt.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message to publish. Immutable (the payload is copied in and out).
 *
 * @param topic the topic, without wildcards
 * @param payload the payload
 * @param qos 0, 1 or 2
 * @param retained whether the broker keeps it for new subscribers
 * @param userProperties MQTT 5 user properties; may be empty
 */
public record OutboundMessage(String topic, byte[] payload, int qos, boolean retained,
        Map<String, String> userProperties) {

    public OutboundMessage {
        Objects.requireNonNull(topic, "topic");
        payload = Objects.requireNonNull(payload, "payload").clone();
        userProperties = Map.copyOf(userProperties);
    }

    /** A QoS 1, not retained message without user properties. */
    public static OutboundMessage of(String topic, byte[] payload) {
        return new OutboundMessage(topic, payload, 1, false, Map.of());
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundMessage m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
                && qos == m.qos && retained == m.retained && userProperties.equals(m.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, userProperties);
    }
}
