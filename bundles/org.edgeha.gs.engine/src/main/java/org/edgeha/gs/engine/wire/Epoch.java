package org.edgeha.gs.engine.wire;

import java.util.Comparator;
import java.util.Objects;

import org.edgeha.gs.spi.NodeId;

/**
 * A coordinator's term. Ordered by counter, then by the coordinator's identity, so two candidates that
 * pick the same counter still differ. Every coordinator message carries its epoch; a node never
 * accepts one lower than the highest it has promised.
 *
 * @param counter increases with every takeover
 * @param coordinator the gateway coordinating in this term
 */
public record Epoch(long counter, NodeId coordinator) implements Comparable<Epoch> {

    private static final Comparator<Epoch> ORDER =
            Comparator.comparingLong(Epoch::counter).thenComparing(Epoch::coordinator);

    public Epoch {
        Objects.requireNonNull(coordinator, "coordinator");
    }

    @Override
    public int compareTo(Epoch o) {
        return ORDER.compare(this, o);
    }

    public boolean isAfter(Epoch o) {
        return o == null || compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return counter + "@" + coordinator;
    }
}
