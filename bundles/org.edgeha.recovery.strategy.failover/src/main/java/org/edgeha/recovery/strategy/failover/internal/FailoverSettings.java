package org.edgeha.recovery.strategy.failover.internal;

import java.util.List;
import java.util.function.Consumer;

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
        long roundDelayMaxMillis, long budgetMillis, int maxAttempts) {

    static final long CONNECT_TIMEOUT_MS = 1000;
    static final long ROUND_DELAY_MS = 10;
    static final long ROUND_DELAY_MAX_MS = 100;
    /** Below the recovery service's 30 s timeout, so a strategy gives up on its own terms (and logs it). */
    static final long BUDGET_MS = 25_000;
    static final int MAX_ATTEMPTS = -1;
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
        long connect = positive("connect.timeout.ms", connectTimeoutMillis, CONNECT_TIMEOUT_MS, warn);
        long delay = positive("round.delay.ms", roundDelayMillis, ROUND_DELAY_MS, warn);
        long max = positive("round.delay.max.ms", roundDelayMaxMillis, Math.max(ROUND_DELAY_MAX_MS, delay), warn);
        if (max < delay) {
            warn.accept("round.delay.max.ms=" + max + " is below round.delay.ms=" + delay + "; using " + delay);
            max = delay;
        }
        long budget = positive("budget.ms", budgetMillis, BUDGET_MS, warn);
        int attempts = maxAttempts;
        if (attempts == 0) {
            warn.accept("max.attempts=0 would never reconnect; using " + MAX_ATTEMPTS + " (unlimited, the budget applies)");
            attempts = MAX_ATTEMPTS;
        }
        return new FailoverSettings(parsed, connect, delay, max, budget, attempts);
    }

    private static long positive(final String name, final long value, final long fallback,
            final Consumer<String> warn) {
        if (value > 0) {
            return value;
        }
        warn.accept(name + "=" + value + " must be positive; using " + fallback);
        return fallback;
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
