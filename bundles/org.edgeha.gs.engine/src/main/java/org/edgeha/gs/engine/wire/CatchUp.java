package org.edgeha.gs.engine.wire;

import java.util.List;
import java.util.Objects;

/**
 * What a new coordinator sends one gateway to bring one group up to date: protocols to apply in order,
 * or (when they are no longer available) a view to start again from; or, for a gateway that holds an
 * older life of the group, the end of that life.
 *
 * @param group the group
 * @param reset a view to replace the gateway's own with, or {@code null}
 * @param entries protocols to apply after it, in order
 * @param dissolve after the entries, the life of the group this gateway holds is over: another life of
 *     the same name was adopted
 */
public record CatchUp(String group, ViewRec reset, List<CommitRec> entries, boolean dissolve) {

    public CatchUp {
        Objects.requireNonNull(group, "group");
        entries = List.copyOf(entries);
    }

    public CatchUp(String group, ViewRec reset, List<CommitRec> entries) {
        this(group, reset, entries, false);
    }
}
