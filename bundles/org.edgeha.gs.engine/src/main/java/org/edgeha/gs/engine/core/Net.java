package org.edgeha.gs.engine.core;

import java.util.Set;

import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.spi.NodeId;

/** What the protocol roles of one gateway use to talk: its identity, the presence view, sending. */
public interface Net {

    /** @return this gateway's identity, or {@code null} before it first connected */
    NodeId self();

    /** @return the nodes up, as last reported (this gateway included) */
    Set<NodeId> up();

    /** @return whether {@code n} was reported down or superseded by a newer incarnation */
    boolean isDead(NodeId n);

    /** Sends reliably to a live gateway; to {@link #self()} it is delivered after the current event. */
    void send(NodeId to, Msg m);

    /** @return a scheduler whose tasks run under the engine's lock */
    Scheduler scheduler();
}
