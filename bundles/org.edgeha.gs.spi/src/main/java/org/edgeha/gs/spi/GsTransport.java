package org.edgeha.gs.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A publish/subscribe network between the gateways of one domain, with MQTT's guarantees only (see the
 * package description). Registered as an OSGi service by a transport bundle (the MQTT bridge); the
 * engine uses the highest-ranked one, or its own in-memory transport when there is none.
 *
 * <p>Topics are relative (for example {@code gs/node/3}); the transport places them under its domain
 * root ({@code edgeha/{domain}/}). Payloads are opaque bytes; the engine authenticates and checks
 * them itself, and never trusts them.
 *
 * <p>Thread-safe. No method may block on the network: {@link #publish} queues and returns.
 */
@ProviderType
public interface GsTransport {

    /**
     * @return this node's identity now: known before the first connection (the incarnation is
     *     persisted or taken from the clock at start), and changed only as reported by
     *     {@link TransportListener#connected}
     */
    NodeId localNode();

    /**
     * Starts the transport: connect, announce this node's presence, and report to {@code listener}.
     * Called once.
     *
     * @param listener receives connection, presence and message events; its methods must not be called
     *     concurrently with each other (the engine serialises them anyway)
     */
    void start(TransportListener listener);

    /**
     * Subscribes to a topic filter (MQTT syntax: {@code +} one level, {@code #} the rest).
     *
     * @param topicFilter relative topic filter
     */
    void subscribe(String topicFilter);

    /**
     * Publishes a message at QoS 1, not retained. May be lost if this node is disconnected; never
     * blocks.
     *
     * @param topic relative topic
     * @param payload the bytes; the transport must not keep or change the array after returning
     */
    void publish(String topic, byte[] payload);

    /** Stops: leaves cleanly (no last will), releases resources. Idempotent. */
    void stop();
}
