package org.edgeha.mqtt.api;

import java.util.Map;

/**
 * A snapshot of one managed connection, for operators ({@code mqtt:status}) and tools. Immutable.
 *
 * @param name the connection's name ({@code default} for the gateway's own)
 * @param state where the connection stands
 * @param broker the broker URI in use (or last tried)
 * @param clientId the MQTT client id
 * @param sessionPresent whether the broker resumed a session at the last connect
 * @param storeDepth messages accepted by {@link MqttBridge#publish} and not yet acknowledged by the broker
 * @param storeBytes bytes those take on disk
 * @param forwarded messages delivered from the store (acknowledged by the broker)
 * @param droppedOldest messages dropped by {@link OverflowPolicy#DROP_OLDEST}
 * @param rejected publishes refused ({@link PublishRejectedException})
 * @param discardedOnStart stored messages found corrupt at start-up and discarded
 * @param connects successful connects (the first and every reconnect)
 * @param rejectedInputs malformed or unauthorised inputs received and dropped
 * @param lastError the last connection error, or empty; a failure to write the store (a full disk) comes first,
 *     from the failed publish until one succeeds again
 * @param incarnation this gateway's incarnation on the broker
 * @param nodesOnline the gateways of the domain seen online (this one included while connected)
 * @param directQueued direct publishes waiting for the broker's in-flight window
 * @param directDropped direct publishes dropped because the connection broke before they were sent
 * @param rejectedByReason {@code rejectedInputs} by reason
 * @param storeMaxMessages the store's limit in messages: at it, the overflow policy applies (since 1.4.0)
 * @param storeMaxBytes the store's limit in bytes (since 1.4.0)
 */
public record MqttStatus(String name, State state, String broker, String clientId, boolean sessionPresent,
        long storeDepth, long storeBytes, long forwarded, long droppedOldest, long rejected, long discardedOnStart,
        long connects, long rejectedInputs, String lastError, long incarnation, int nodesOnline, long directQueued,
        long directDropped, Map<String, Long> rejectedByReason, long storeMaxMessages, long storeMaxBytes) {

    /** Copies the map. */
    public MqttStatus {
        rejectedByReason = Map.copyOf(rejectedByReason);
    }

    /** A status without the store's limits (the 1.3 constructor): both limits {@code Long.MAX_VALUE}. */
    public MqttStatus(String name, State state, String broker, String clientId, boolean sessionPresent,
            long storeDepth, long storeBytes, long forwarded, long droppedOldest, long rejected, long discardedOnStart,
            long connects, long rejectedInputs, String lastError, long incarnation, int nodesOnline, long directQueued,
            long directDropped, Map<String, Long> rejectedByReason) {
        this(name, state, broker, clientId, sessionPresent, storeDepth, storeBytes, forwarded, droppedOldest, rejected,
                discardedOnStart, connects, rejectedInputs, lastError, incarnation, nodesOnline, directQueued,
                directDropped, rejectedByReason, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * How full the store is: the larger of depth over its message limit and bytes over its byte limit.
     *
     * @return 0 to 100 (percent; more only if the limits were lowered below what is stored)
     * @since 1.4.0
     */
    public double storeFillPercent() {
        return Math.max(100.0 * storeDepth / Math.max(1, storeMaxMessages), 100.0 * storeBytes / Math.max(1, storeMaxBytes));
    }

    /** Connection states. */
    public enum State {
        CONNECTING, CONNECTED, RECOVERING, DISCONNECTED, CLOSED
    }
}
