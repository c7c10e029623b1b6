package org.edgeha.gs.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group as this gateway sees it: the last protocol it applied, for operators and diagnostics.
 *
 * @param group the group's name
 * @param seq the sequence number of the last protocol applied
 * @param members the membership, in {@link ProviderId} order
 * @param state the state value
 * @param attributes the group attributes
 * @param running the n-phase protocol in progress, as far as this gateway has seen it
 * @param coordinatorNode the node number of the gateway coordinating the domain, 0 while unknown
 */
public record GroupView(String group, long seq, List<ProviderId> members, StateValue state,
        GroupAttributes attributes, Optional<ProtocolStatus> running, int coordinatorNode) {

    /** Checks for {@code null} and copies the list. */
    public GroupView {
        Objects.requireNonNull(group, "group");
        members = List.copyOf(members);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(running, "running");
    }
}
