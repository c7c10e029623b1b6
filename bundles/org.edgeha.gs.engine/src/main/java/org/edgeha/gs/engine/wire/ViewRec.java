package org.edgeha.gs.engine.wire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.StateValue;

/**
 * A group's committed view after protocol {@code seq}: the unit of snapshots and catch-up.
 *
 * @param group the group
 * @param seq the sequence number of the last protocol applied (0 before the first)
 * @param members the membership, sorted by provider id
 * @param state the state value
 * @param attrs the attributes
 * @param generation which life of the group this is ({@code null} before it exists): a group that
 *     dissolves and is created again under the same name is recognisably another group
 */
public record ViewRec(String group, long seq, List<MemberRec> members, StateValue state, GroupAttributes attrs,
        Generation generation) {

    public ViewRec {
        Objects.requireNonNull(group, "group");
        List<MemberRec> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(MemberRec::id));
        members = List.copyOf(sorted);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(attrs, "attrs");
    }

    public static ViewRec empty(String group, GroupAttributes attrs) {
        return new ViewRec(group, 0, List.of(), StateValue.EMPTY, attrs, null);
    }

    /** @return the view before the first protocol of a new life of the group */
    public static ViewRec created(String group, long seq, GroupAttributes attrs, Generation generation) {
        return new ViewRec(group, seq, List.of(), StateValue.EMPTY, attrs, generation);
    }

    /** @return this view with no members: the group's life ended here */
    public ViewRec dissolved() {
        return new ViewRec(group, seq, List.of(), state, attrs, generation);
    }

    public List<ProviderId> ids() {
        return members.stream().map(MemberRec::id).toList();
    }

    public Optional<MemberRec> member(ProviderId id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public boolean contains(ProviderId id) {
        return member(id).isPresent();
    }

    public ViewRec next(List<MemberRec> newMembers, StateValue newState, GroupAttributes newAttrs) {
        return new ViewRec(group, seq + 1, newMembers, newState, newAttrs, generation);
    }
}
