package org.edgeha.gs.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a protocol proposes and where it stands (GSAPI {@code ha_gs_proposal_t}), carried by the
 * n-phase, approved and rejected notifications.
 *
 * @param group the group
 * @param seq the protocol's sequence number in the group: every protocol (approved or rejected) has
 *     the next number, with no gaps, in the same order for every member
 * @param phase the current phase number (from 1); in an approved or rejected notification, the number
 *     of phases run (0 for a one-phase protocol)
 * @param protocolType the kind of protocol
 * @param numPhases one-phase or n-phase
 * @param proposedBy the proposing provider; empty for system protocols (join, failure-leave)
 * @param wholeMembership the group's membership: in n-phase and rejected notifications as it was when
 *     the protocol started, in approved notifications as it is after the protocol
 *     ({@code gs_whole_membership}), ordered by {@link ProviderId}
 * @param changingMembership the providers joining, leaving, being expelled or failing
 *     ({@code gs_changing_membership})
 * @param currentState the committed state value: before the protocol in n-phase and rejected
 *     notifications, after it in approved ones
 * @param proposedState the state value being proposed (by the request or by the latest votes)
 * @param providerMessage the message of a {@link ProtocolType#MESSAGE} protocol
 * @param votedMessages the messages carried by votes of the previous phase, by provider, in
 *     {@link ProviderId} order
 * @param leaveInfo why each leaving provider leaves (leave, expel, failure-leave)
 * @param expelInfo the deactivate details of an expel
 * @param attributes the group attributes: current, or after an approved attribute change
 * @param proposedAttributes the attributes an attribute change proposes
 */
public record Proposal(String group, long seq, int phase, ProtocolType protocolType, NumPhases numPhases,
        Optional<ProviderId> proposedBy, List<ProviderId> wholeMembership, List<ProviderId> changingMembership,
        StateValue currentState, Optional<StateValue> proposedState, Optional<ProviderMessage> providerMessage,
        Map<ProviderId, ProviderMessage> votedMessages, List<LeaveInfo> leaveInfo, Optional<ExpelInfo> expelInfo,
        GroupAttributes attributes, Optional<GroupAttributes> proposedAttributes) {

    /** Checks for {@code null} and copies the collections. */
    public Proposal {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(protocolType, "protocolType");
        Objects.requireNonNull(numPhases, "numPhases");
        Objects.requireNonNull(proposedBy, "proposedBy");
        wholeMembership = List.copyOf(wholeMembership);
        changingMembership = List.copyOf(changingMembership);
        Objects.requireNonNull(currentState, "currentState");
        Objects.requireNonNull(proposedState, "proposedState");
        Objects.requireNonNull(providerMessage, "providerMessage");
        votedMessages = votedMessages.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(votedMessages));
        leaveInfo = List.copyOf(leaveInfo);
        Objects.requireNonNull(expelInfo, "expelInfo");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(proposedAttributes, "proposedAttributes");
    }
}
