package org.edgeha.gs.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A client's responsiveness check (GSAPI {@code ha_gs_responsiveness_t}).
 *
 * @param ping whether the engine pings the client
 * @param interval time between pings
 * @param responseTimeLimit how long a ping may wait for its answer
 */
public record Responsiveness(boolean ping, Duration interval, Duration responseTimeLimit) {

    /** No check ({@code HA_GS_NO_RESPONSIVENESS}). */
    public static final Responsiveness NONE = new Responsiveness(false, Duration.ZERO, Duration.ZERO);

    /** Checks for {@code null} and, for a ping check, positive durations. */
    public Responsiveness {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(responseTimeLimit, "responseTimeLimit");
        if (ping && (interval.isNegative() || interval.isZero() || responseTimeLimit.isNegative()
                || responseTimeLimit.isZero())) {
            throw new IllegalArgumentException("a ping check needs a positive interval and time limit");
        }
    }

    /** @return a ping check ({@code HA_GS_PING_RESPONSIVENESS}) */
    public static Responsiveness ping(Duration interval, Duration responseTimeLimit) {
        return new Responsiveness(true, interval, responseTimeLimit);
    }
}
