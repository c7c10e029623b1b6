package org.edgeha.gs.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Copies summary-code sets into immutable sets with a stable (declaration) order. */
final class Summary {

    private Summary() {
    }

    static Set<SummaryCode> copy(Set<SummaryCode> codes) {
        return codes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(codes));
    }

    static Set<SubscriptionEvent> copyEvents(Set<SubscriptionEvent> events) {
        return events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
    }
}
