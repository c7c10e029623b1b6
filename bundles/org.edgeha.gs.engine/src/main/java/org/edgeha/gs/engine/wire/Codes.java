package org.edgeha.gs.engine.wire;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.edgeha.gs.api.SummaryCode;

/** Immutable, stably ordered copies of summary-code sets. */
public final class Codes {

    private Codes() {
    }

    public static Set<SummaryCode> copy(Set<SummaryCode> codes) {
        return codes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(codes));
    }
}
