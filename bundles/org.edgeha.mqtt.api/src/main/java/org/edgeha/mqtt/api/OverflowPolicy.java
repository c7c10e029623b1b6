package org.edgeha.mqtt.api;

/** What the store-and-forward store does when it is full. Either way the event is counted and logged. */
public enum OverflowPolicy {
    /** Refuse the new message: {@link MqttBridge#publish} throws {@link PublishRejectedException}. */
    REJECT_NEW,
    /** Drop the oldest stored message to make room for the new one. */
    DROP_OLDEST
}
