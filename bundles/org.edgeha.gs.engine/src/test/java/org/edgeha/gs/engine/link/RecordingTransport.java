package org.edgeha.gs.engine.link;

import java.util.Collection;

import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;

/** A transport for the link layer's tests: every frame published is added to {@code published}, in order. */
record RecordingTransport(NodeId localNode, Collection<byte[]> published) implements GsTransport {
    @Override
    public void start(TransportListener listener) {
    }

    @Override
    public void subscribe(String topicFilter) {
    }

    @Override
    public void publish(String topic, byte[] payload) {
        published.add(payload);
    }

    @Override
    public void stop() {
    }
}
