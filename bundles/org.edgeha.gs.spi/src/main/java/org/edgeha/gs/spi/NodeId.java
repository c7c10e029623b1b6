package org.edgeha.gs.spi;

import java.util.Comparator;

/**
 * A gateway's identity in the domain: its node number and its incarnation. The incarnation strictly
 * increases each time the gateway starts, or comes back after its peers declared it failed; a message
 * or presence report from an older incarnation never concerns the current one.
 *
 * @param node the node number ({@code edgeha.node}), positive
 * @param incarnation the incarnation, positive
 */
public record NodeId(int node, long incarnation) implements Comparable<NodeId> {

    private static final Comparator<NodeId> ORDER =
            Comparator.comparingInt(NodeId::node).thenComparingLong(NodeId::incarnation);

    /** Checks the ranges. */
    public NodeId {
        if (node <= 0 || incarnation <= 0) {
            throw new IllegalArgumentException("node and incarnation must be positive: " + node + "." + incarnation);
        }
    }

    @Override
    public int compareTo(NodeId o) {
        return ORDER.compare(this, o);
    }

    /** @return {@code node.incarnation}, as RSCT's {@code hagsns} prints domain ids */
    @Override
    public String toString() {
        return node + "." + incarnation;
    }
}
