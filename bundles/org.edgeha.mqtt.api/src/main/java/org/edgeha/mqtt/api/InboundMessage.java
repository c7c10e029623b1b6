package org.edgeha.mqtt.api;

import java.util.Map;

/**
 * A message received on a subscription. Immutable.
 *
 * @param topic the topic it was published to
 * @param payload the payload (a copy)
 * @param qos the QoS it was delivered with
 * @param retained whether it came from the broker's retained store
 * @param duplicate whether the broker marked it as a possible redelivery
 * @param userProperties MQTT 5 user properties
 */
public record InboundMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
        Map<String, String> userProperties) {

    public InboundMessage {
        payload = payload.clone();
        userProperties = Map.copyOf(userProperties);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
