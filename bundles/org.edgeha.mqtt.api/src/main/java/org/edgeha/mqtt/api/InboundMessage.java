package org.edgeha.mqtt.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message received on a subscription. Immutable (byte arrays are copied in and out).
 *
 * @param topic the topic it was published to
 * @param payload the payload (a copy)
 * @param qos the QoS it was delivered with
 * @param retained whether it came from the broker's retained store
 * @param duplicate whether the broker marked it as a possible redelivery
 * @param userProperties MQTT 5 user properties
 * @param responseTopic MQTT 5 response topic, when the publisher asked for a reply (since 1.2.0)
 * @param correlationData MQTT 5 correlation data, to be sent back with the reply (since 1.2.0)
 */
public record InboundMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
        Map<String, String> userProperties, Optional<String> responseTopic, Optional<byte[]> correlationData) {

    public InboundMessage {
        payload = payload.clone();
        userProperties = Map.copyOf(userProperties);
        responseTopic = Objects.requireNonNull(responseTopic, "responseTopic");
        correlationData = Objects.requireNonNull(correlationData, "correlationData").map(byte[]::clone);
    }

    /** A message without response topic and correlation data (the 1.1 constructor). */
    public InboundMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
            Map<String, String> userProperties) {
        this(topic, payload, qos, retained, duplicate, userProperties, Optional.empty(), Optional.empty());
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public Optional<byte[]> correlationData() {
        return correlationData.map(byte[]::clone);
    }
}
