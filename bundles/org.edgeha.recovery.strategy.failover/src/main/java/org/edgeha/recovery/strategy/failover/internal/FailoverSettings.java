package org.edgeha.recovery.strategy.failover.internal;

import java.util.List;
import java.util.function.Consumer;

import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Sanitize;

/**
 * The settings of one failover strategy, checked: every value here is usable.
 *
 * @param endpoints at least one {@code host:port}, normalized, in order of preference
 * @param connectTimeoutMillis the longest one connect attempt may block
 * @param roundDelayMillis upper bound of the random wait after the first failed round
 * @param roundDelayMaxMillis cap of the wait's upper bound, which doubles per failed round
 * @param budgetMillis the longest one recovery may take
 * @param maxAttempts connect attempts per recovery, over all endpoints; negative = unlimited
 */
record FailoverSettings(List<String> endpoints, long connectTimeoutMillis, long roundDelayMillis,
        long roundDelayMaxMillis, long budgetMillis, int maxAttempts) implements AttemptLoop.Limits {

    static final long CONNECT_TIMEOUT_MS = 1000;
    static final long ROUND_DELAY_MS = 10;
    static final long ROUND_DELAY_MAX_MS = 100;
    /** Below the recovery service's 30 s timeout, so a strategy gives up on its own terms (and logs it). */
    static final long BUDGET_MS = 25_000;
    static final int MAX_ATTEMPTS = Sanitize.UNLIMITED_ATTEMPTS;
    /** Growth of the wait between rounds; fixed, the endpoint list is what one tunes here. */
    static final double MULTIPLIER = 2.0;

    FailoverSettings {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * Checks the endpoints (refusing bad ones) and replaces unusable numbers by their defaults, reporting
     * each through {@code warn}.
     *
     * @throws IllegalArgumentException when the endpoints are missing or malformed, naming each bad one
     */
    static FailoverSettings sanitize(final String[] endpoints, final long connectTimeoutMillis,
            final long roundDelayMillis, final long roundDelayMaxMillis, final long budgetMillis,
            final int maxAttempts, final Consumer<String> warn) {
        List<String> parsed = Endpoints.parse(endpoints, warn);
        long connect = Sanitize.positive("connect.timeout.ms", connectTimeoutMillis, CONNECT_TIMEOUT_MS, warn);
        long delay = Sanitize.positive("round.delay.ms", roundDelayMillis, ROUND_DELAY_MS, warn);
        long max = Sanitize.positive("round.delay.max.ms", roundDelayMaxMillis, Math.max(ROUND_DELAY_MAX_MS, delay),
                warn);
        max = Sanitize.atLeast("round.delay.max.ms", max, "round.delay.ms", delay, warn);
        long budget = Sanitize.positive("budget.ms", budgetMillis, BUDGET_MS, warn);
        int attempts = Sanitize.maxAttempts(maxAttempts, warn);
        return new FailoverSettings(parsed, connect, delay, max, budget, attempts);
    }

    JitteredBackoff backoff() {
        return new JitteredBackoff(roundDelayMillis, roundDelayMaxMillis, MULTIPLIER);
    }

    @Override
    public String toString() {
        return "endpoints=" + endpoints + ", connect.timeout.ms=" + connectTimeoutMillis + ", round.delay.ms="
                + roundDelayMillis + ", round.delay.max.ms=" + roundDelayMaxMillis + ", budget.ms=" + budgetMillis
                + ", max.attempts=" + maxAttempts;
    }
}
