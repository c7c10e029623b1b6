package org.edgeha.mqtt.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of one subscription. Called on a thread of the bridge (never on the MQTT
 * client's own threads, except for a handler given to {@link MqttBridge#subscribeDirect}, which may run on the
 * client's callback thread), one message at a time per subscription, in the order they arrived. A handler
 * that throws is logged; the next message is still delivered. Keep it short: a slow handler delays the
 * messages after it.
 */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {

    void onMessage(InboundMessage message);
}
