package org.edgeha.gs.engine.wire;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;

/**
 * One finished protocol, as every interested gateway applies it and keeps it in its catch-up log.
 * Self-contained: it carries the resulting view, so a gateway that starts from it needs nothing older.
 *
 * @param seq the protocol's sequence number
 * @param spec what it was
 * @param approved approved or rejected
 * @param summary conditions seen during the protocol
 * @param phases phases run (0 for one-phase)
 * @param result the view after the protocol (unchanged but for {@code seq} when rejected)
 * @param proposedState the last proposed state value, {@code null} if none
 * @param votedMessages messages carried by the last phase's votes
 */
public record CommitRec(long seq, ProtoSpec spec, boolean approved, Set<SummaryCode> summary, int phases,
        ViewRec result, StateValue proposedState, Map<ProviderId, ProviderMessage> votedMessages) {

    public CommitRec {
        Objects.requireNonNull(spec, "spec");
        summary = Codes.copy(summary);
        Objects.requireNonNull(result, "result");
        votedMessages = Collections.unmodifiableMap(new TreeMap<>(votedMessages));
    }
}
