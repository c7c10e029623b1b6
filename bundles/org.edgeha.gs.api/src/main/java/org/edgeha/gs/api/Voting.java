package org.edgeha.gs.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a proposal is decided (GSAPI {@code gs_num_phases} and {@code gs_time_limit}).
 *
 * @param phases one-phase (approved without voting) or n-phase
 * @param timeLimit the voting time limit of each phase; a provider that has not voted when it
 *     passes gets the default vote and is named in an announcement. {@link Duration#ZERO} means no
 *     limit. Ignored for one-phase protocols, except for an expel's deactivate step.
 */
public record Voting(NumPhases phases, Duration timeLimit) {

    /** A one-phase protocol. */
    public static final Voting ONE_PHASE = new Voting(NumPhases.ONE, Duration.ZERO);

    /** Checks for {@code null} and negative limits. */
    public Voting {
        Objects.requireNonNull(phases, "phases");
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative()) {
            throw new IllegalArgumentException("negative time limit " + timeLimit);
        }
    }

    /** @return an n-phase protocol whose phases last at most {@code timeLimit} each */
    public static Voting nPhase(Duration timeLimit) {
        return new Voting(NumPhases.N, timeLimit);
    }
}
