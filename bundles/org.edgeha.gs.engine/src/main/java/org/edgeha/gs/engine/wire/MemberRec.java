package org.edgeha.gs.engine.wire;

import java.util.Objects;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.spi.NodeId;

/**
 * A provider in a membership list, with the incarnation of the gateway it lives on: a restarted
 * gateway's old providers are recognisably different from its new ones with the same instance numbers.
 *
 * @param id node and instance
 * @param incarnation the incarnation of the provider's gateway
 * @param localName for logs and views
 */
public record MemberRec(ProviderId id, long incarnation, String localName) {

    public MemberRec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(localName, "localName");
    }

    public NodeId nodeId() {
        return new NodeId(id.node(), incarnation);
    }
}
