package org.edgeha.gs.spi;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a {@link GsTransport} reports to the engine. Implemented by the engine; calls may come on any
 * transport thread and must return promptly (the engine only queues work in them).
 */
@ConsumerType
public interface TransportListener {

    /**
     * The node is connected (first connection or reconnection).
     *
     * @param self this node's identity now; a different incarnation than before means the peers
     *     declared the previous one failed (MQTT: the session was not resumed after the will delay)
     * @param resumed whether the previous identity and session continue
     */
    void connected(NodeId self, boolean resumed);

    /** The node lost its connection; publishes may be lost until {@link #connected}. */
    void disconnected();

    /**
     * The nodes now up in the domain, each with its current incarnation (this node included once
     * connected). Sent after every change, and after every (re)connection with the complete view.
     *
     * @param up the live nodes
     */
    void presence(Set<NodeId> up);

    /**
     * A message arrived on a subscribed topic. May be a duplicate; may be malformed or forged.
     *
     * @param topic relative topic
     * @param payload the bytes, owned by the engine from now on
     */
    void message(String topic, byte[] payload);
}
