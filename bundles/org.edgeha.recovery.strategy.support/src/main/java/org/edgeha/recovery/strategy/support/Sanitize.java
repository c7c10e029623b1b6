package org.edgeha.recovery.strategy.support;

import java.util.function.Consumer;

/**
 * The checks both strategies apply to their configured numbers. A configuration is not refused for a bad
 * number: the value is replaced by a usable one and {@code warn} is told, one line per value, so the
 * strategy keeps working and the log says what was wrong.
 */
public final class Sanitize {

    /** {@code max.attempts} for no attempt limit (the budget still applies). */
    public static final int UNLIMITED_ATTEMPTS = -1;

    private Sanitize() {
    }

    /** @return {@code value} when positive, otherwise {@code fallback} */
    public static long positive(final String name, final long value, final long fallback,
            final Consumer<String> warn) {
        if (value > 0) {
            return value;
        }
        warn.accept(name + "=" + value + " must be positive; using " + fallback);
        return fallback;
    }

    /** @return {@code value}, raised to {@code min} (the value of setting {@code minName}) when below it */
    public static long atLeast(final String name, final long value, final String minName, final long min,
            final Consumer<String> warn) {
        if (value >= min) {
            return value;
        }
        warn.accept(name + "=" + value + " is below " + minName + "=" + min + "; using " + min);
        return min;
    }

    /** @return {@code maxAttempts}, or {@link #UNLIMITED_ATTEMPTS} for 0, which would never reconnect */
    public static int maxAttempts(final int maxAttempts, final Consumer<String> warn) {
        if (maxAttempts != 0) {
            return maxAttempts;
        }
        warn.accept("max.attempts=0 would never reconnect; using " + UNLIMITED_ATTEMPTS
                + " (unlimited, the budget applies)");
        return UNLIMITED_ATTEMPTS;
    }
}
