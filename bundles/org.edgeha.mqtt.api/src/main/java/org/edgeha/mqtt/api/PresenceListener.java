package org.edgeha.mqtt.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows the gateway's presence in its domain through one {@link MqttBridge}: its own connection and
 * identity, and which gateways are online. Every gateway keeps a retained status message on
 * {@code edgeha/{domain}/node/{node}/status} ({@code {"node":N,"incarnation":I,"state":"online"}}); its
 * last will says {@code offline} for the same incarnation, after the connection's will delay.
 *
 * <p>All calls for one listener come one at a time, in order, on the bridge's delivery thread
 * ({@code edgeha-mqtt-deliver-NAME}), never on the MQTT client's threads. Return promptly.
 */
@ConsumerType
public interface PresenceListener {

    /**
     * The connection is up, the retained presence of the domain has been read, and this gateway's own
     * status is published. Called after every (re)connection, and at once on registration when connected.
     *
     * @param incarnation this gateway's incarnation now
     * @param resumed {@code false} when the incarnation changed: the broker published this gateway's
     *     will while it was away (the peers declared it failed), or this is the first connection
     */
    void connected(long incarnation, boolean resumed);

    /** The connection was lost; the bridge is recovering it. */
    void disconnected();

    /**
     * The gateways online in the domain (this one included while connected), after every change and after
     * every {@link #connected}.
     *
     * @param online node number to its incarnation
     */
    void presence(Map<Integer, Long> online);
}
