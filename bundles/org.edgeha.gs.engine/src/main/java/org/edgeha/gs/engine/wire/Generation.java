package org.edgeha.gs.engine.wire;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one life of a group: the group that exists between a first join and its dissolution. Two
 * lives of one name (possible after a gateway was cut off while the group dissolved and was created
 * again) are told apart, and ordered: by the epoch of the coordinator that created them, then by the
 * order it created groups in.
 *
 * @param epoch the creating coordinator's epoch
 * @param ordinal the creating coordinator's count of groups created in that epoch
 */
public record Generation(Epoch epoch, long ordinal) implements Comparable<Generation> {

    private static final Comparator<Generation> ORDER =
            Comparator.comparing(Generation::epoch).thenComparingLong(Generation::ordinal);

    public Generation {
        Objects.requireNonNull(epoch, "epoch");
    }

    @Override
    public int compareTo(Generation o) {
        return ORDER.compare(this, o);
    }

    /** Orders {@code null} (no life yet) before any generation. */
    public static int compare(Generation a, Generation b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }
}
