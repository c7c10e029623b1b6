package org.edgeha.mqtt.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One managed MQTT 5 connection of the gateway, registered as a service with the property
 * {@value #NAME} ({@code default} for the gateway's own connection to {@code edgeha.broker}).
 *
 * <p>The connection is HA-aware through the connection recovery service (kind {@value #CONNECTION_KIND}):
 * when it breaks, the best matching whiteboard recovery strategy reconnects it.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. {@link #publish} may block briefly on the
 * local disk, never on the network; {@link #publishDirect} never blocks. Handlers run on the bridge's
 * delivery thread ({@code edgeha-mqtt-deliver-NAME}); those given to {@link #subscribeDirect} also on the MQTT
 * client's callback thread, when nothing waits for delivery.
 */
@ProviderType
public interface MqttBridge {

    /** Service property: the connection's name. */
    String NAME = "edgeha.mqtt.name";

    /** The connection kind under which the bridge registers with the recovery service. */
    String CONNECTION_KIND = "mqtt";

    /** @return the connection's name */
    String name();

    /**
     * Store-and-forward: the message is written to the connection's bounded store under
     * {@code ${edgeha.home}/data} and delivered, in the order accepted, as soon as the broker is
     * reachable, also after a gateway restart. At least once: a message may arrive twice after a crash.
     *
     * @throws PublishRejectedException when it cannot be accepted (store full with REJECT_NEW, invalid,
     *     too large, store unwritable); nothing was stored then
     */
    void publish(OutboundMessage message) throws PublishRejectedException;

    /**
     * Sends now, bypassing the store: for traffic that is worthless later (protocol messages with their own
     * catch-up). Not ordered with {@link #publish}.
     *
     * @throws PublishRejectedException {@code NOT_CONNECTED} when offline, or invalid / too large
     */
    void publishDirect(OutboundMessage message) throws PublishRejectedException;

    /**
     * Subscribes; the subscription is renewed after every reconnect.
     *
     * @param topicFilter an MQTT topic filter (wildcards allowed)
     * @param qos the maximum QoS
     * @param handler receives the messages
     * @return the subscription; close it to unsubscribe
     * @throws IllegalArgumentException for an invalid filter or QoS
     */
    Subscription subscribe(String topicFilter, int qos, MessageHandler handler);

    /**
     * Subscribes like {@link #subscribe}, for a handler that is short and never blocks (it never waits for the
     * network, for a publish to be acknowledged, or for another handler): to save a hand-off between threads per
     * message, the bridge calls it directly on the MQTT client's callback thread whenever no earlier message or
     * presence event waits for the delivery thread, and on the delivery thread otherwise. The guarantees of
     * {@link #subscribe} stay: messages are handled in the order they arrived, after everything that arrived before
     * them, and never at the same time as another handler or presence listener of this bridge. A handler that blocks
     * stops every subscription of the connection (the client receives nothing meanwhile): use {@link #subscribe}
     * for such a handler.
     *
     * @param topicFilter an MQTT topic filter (wildcards allowed)
     * @param qos the maximum QoS
     * @param handler receives the messages; short and never blocking
     * @return the subscription; close it to unsubscribe
     * @throws IllegalArgumentException for an invalid filter or QoS
     * @since 1.4.0
     */
    default Subscription subscribeDirect(String topicFilter, int qos, MessageHandler handler) {
        return subscribe(topicFilter, qos, handler);
    }

    /** @return the connection's state and counters */
    MqttStatus status();

    /**
     * @return this gateway's incarnation on the broker: it strictly increases at every start (persisted under
     *     {@code ${edgeha.home}/data}) and whenever the peers declared the gateway failed
     */
    long incarnation();

    /**
     * Takes a new incarnation now, as if the peers had declared this gateway failed: for a bundle that starts
     * its protocol state afresh (a restarted Group Services engine) and must not be taken for its previous
     * self. When connected, the connection is made again so that its will names the new incarnation; presence
     * listeners are then told {@code connected(new, false)}. Returns at once.
     *
     * @return the new incarnation
     */
    long renewIncarnation();

    /**
     * Registers a presence listener. When the connection is up, the listener is told at once
     * ({@link PresenceListener#connected} with {@code resumed = true}, then the presence).
     *
     * @return a handle; close it to stop the calls
     */
    AutoCloseable addPresenceListener(PresenceListener listener);

    /**
     * For bundles that decode what arrives through the bridge: an input was rejected (malformed, forged,
     * replayed, oversized). The bridge counts it per reason in {@link MqttStatus#rejectedByReason()} and logs
     * it, at most once a minute per reason at warning level. Never throws.
     *
     * @param topic the topic it arrived on
     * @param reason a short reason word, e.g. {@code bad-mac}, {@code replayed}, {@code malformed}
     */
    void rejectedInput(String topic, String reason);
}
