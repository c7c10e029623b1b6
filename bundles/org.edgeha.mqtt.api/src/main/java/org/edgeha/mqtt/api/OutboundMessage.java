package org.edgeha.mqtt.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to publish. Immutable (byte arrays are copied in and out).
 *
 * @param topic the topic, without wildcards
 * @param payload the payload
 * @param qos 0, 1 or 2
 * @param retained whether the broker keeps it for new subscribers
 * @param userProperties MQTT 5 user properties; may be empty
 * @param responseTopic MQTT 5 response topic, to ask the receiver for a reply there (since 1.2.0)
 * @param correlationData MQTT 5 correlation data: sent with a request, or copied from the request into its
 *     reply (since 1.2.0)
 * @param contentType MQTT 5 content type, for example {@link #APPLICATION_JSON} (since 1.3.0)
 * @param utf8Payload whether the payload is UTF-8 text: sent as the MQTT 5 payload format indicator 1 (since 1.3.0)
 */
public record OutboundMessage(String topic, byte[] payload, int qos, boolean retained,
        Map<String, String> userProperties, Optional<String> responseTopic, Optional<byte[]> correlationData,
        Optional<String> contentType, boolean utf8Payload) {

    /** The content type of every JSON payload EdgeHA publishes (docs/mqtt-api.md). @since 1.3.0 */
    public static final String APPLICATION_JSON = "application/json";

    public OutboundMessage {
        Objects.requireNonNull(topic, "topic");
        payload = Objects.requireNonNull(payload, "payload").clone();
        userProperties = Map.copyOf(userProperties);
        responseTopic = Objects.requireNonNull(responseTopic, "responseTopic");
        correlationData = Objects.requireNonNull(correlationData, "correlationData").map(byte[]::clone);
        contentType = Objects.requireNonNull(contentType, "contentType");
    }

    /** A message without content type and payload format indicator (the 1.2 constructor). */
    public OutboundMessage(String topic, byte[] payload, int qos, boolean retained,
            Map<String, String> userProperties, Optional<String> responseTopic, Optional<byte[]> correlationData) {
        this(topic, payload, qos, retained, userProperties, responseTopic, correlationData, Optional.empty(), false);
    }

    /**
     * This message as JSON: content type {@link #APPLICATION_JSON} and payload format indicator UTF-8.
     *
     * @since 1.3.0
     */
    public OutboundMessage asJson() {
        return new OutboundMessage(topic, payload, qos, retained, userProperties, responseTopic, correlationData,
                Optional.of(APPLICATION_JSON), true);
    }

    /** A message without response topic and correlation data (the 1.1 constructor). */
    public OutboundMessage(String topic, byte[] payload, int qos, boolean retained,
            Map<String, String> userProperties) {
        this(topic, payload, qos, retained, userProperties, Optional.empty(), Optional.empty());
    }

    /** A QoS 1, not retained message without user properties. */
    public static OutboundMessage of(String topic, byte[] payload) {
        return new OutboundMessage(topic, payload, 1, false, Map.of());
    }

    /**
     * The reply to a request: QoS 1, not retained, to the request's response topic, carrying its correlation
     * data (if any).
     *
     * @throws IllegalArgumentException when the request has no response topic
     * @since 1.2.0
     */
    public static OutboundMessage replyTo(InboundMessage request, byte[] payload) {
        String topic = request.responseTopic()
                .orElseThrow(() -> new IllegalArgumentException("the request to " + request.topic()
                        + " has no response topic"));
        return new OutboundMessage(topic, payload, 1, false, Map.of(), Optional.empty(), request.correlationData());
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public Optional<byte[]> correlationData() {
        return correlationData.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundMessage m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
                && qos == m.qos && retained == m.retained && userProperties.equals(m.userProperties)
                && responseTopic.equals(m.responseTopic)
                && Arrays.equals(correlationData.orElse(null), m.correlationData.orElse(null))
                && contentType.equals(m.contentType) && utf8Payload == m.utf8Payload;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, userProperties, responseTopic,
                Arrays.hashCode(correlationData.orElse(null)), contentType, utf8Payload);
    }
}
