package org.edgeha.recovery.strategy.backoff.internal;

import java.util.function.Consumer;

import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Sanitize;

/**
 * The numbers of one backoff strategy, checked: every value here is usable.
 *
 * @param initialDelayMillis the first wait's upper bound
 * @param maxDelayMillis the cap of every wait's upper bound; at least {@code initialDelayMillis}
 * @param multiplier growth of the upper bound per failed attempt; at least 1
 * @param connectTimeoutMillis the longest one connect attempt may block
 * @param budgetMillis the longest one recovery may take, waits and attempts together
 * @param maxAttempts connect attempts per recovery; negative = unlimited (the budget still applies)
 */
record BackoffSettings(long initialDelayMillis, long maxDelayMillis, double multiplier, long connectTimeoutMillis,
        long budgetMillis, int maxAttempts) implements AttemptLoop.Limits {

    static final long INITIAL_DELAY_MS = 10;
    static final long MAX_DELAY_MS = 100;
    static final double MULTIPLIER = 2.0;
    static final long CONNECT_TIMEOUT_MS = 1000;
    /** Below the recovery service's 30 s timeout, so a strategy gives up on its own terms (and logs it). */
    static final long BUDGET_MS = 25_000;
    static final int MAX_ATTEMPTS = Sanitize.UNLIMITED_ATTEMPTS;

    static final BackoffSettings DEFAULTS = new BackoffSettings(INITIAL_DELAY_MS, MAX_DELAY_MS, MULTIPLIER,
            CONNECT_TIMEOUT_MS, BUDGET_MS, MAX_ATTEMPTS);

    /**
     * Replaces each unusable value by its default and reports it through {@code warn}, one line per value.
     */
    static BackoffSettings sanitize(final long initialDelayMillis, final long maxDelayMillis,
            final double multiplier, final long connectTimeoutMillis, final long budgetMillis,
            final int maxAttempts, final Consumer<String> warn) {
        long initial = Sanitize.positive("initial.delay.ms", initialDelayMillis, INITIAL_DELAY_MS, warn);
        long max = Sanitize.positive("max.delay.ms", maxDelayMillis, Math.max(MAX_DELAY_MS, initial), warn);
        max = Sanitize.atLeast("max.delay.ms", max, "initial.delay.ms", initial, warn);
        double factor = multiplier;
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) { // also catches NaN
            warn.accept("multiplier=" + multiplier + " must be a number >= 1; using " + MULTIPLIER);
            factor = MULTIPLIER;
        }
        long connect = Sanitize.positive("connect.timeout.ms", connectTimeoutMillis, CONNECT_TIMEOUT_MS, warn);
        long budget = Sanitize.positive("budget.ms", budgetMillis, BUDGET_MS, warn);
        int attempts = Sanitize.maxAttempts(maxAttempts, warn);
        return new BackoffSettings(initial, max, factor, connect, budget, attempts);
    }

    JitteredBackoff backoff() {
        return new JitteredBackoff(initialDelayMillis, maxDelayMillis, multiplier);
    }

    @Override
    public String toString() {
        return "initial.delay.ms=" + initialDelayMillis + ", max.delay.ms=" + maxDelayMillis + ", multiplier="
                + multiplier + ", connect.timeout.ms=" + connectTimeoutMillis + ", budget.ms=" + budgetMillis
                + ", max.attempts=" + maxAttempts;
    }
}
