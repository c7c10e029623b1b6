package org.edgeha.gs.engine.wire;

import java.util.Objects;

import org.edgeha.gs.spi.NodeId;

/**
 * Identifies one request of one gateway incarnation, so that its outcome can be matched however often
 * it is resubmitted.
 *
 * @param origin the gateway that made the request
 * @param number its number there, increasing
 */
public record RequestId(NodeId origin, long number) {

    public RequestId {
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return "req " + origin + "#" + number;
    }
}
