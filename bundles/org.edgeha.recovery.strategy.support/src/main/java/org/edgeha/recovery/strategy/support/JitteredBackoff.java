package org.edgeha.recovery.strategy.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with full jitter: the wait after failure {@code n} (0-based) is uniform in
 * {@code [0, min(max, initial * multiplier^n)]}. Full jitter spreads a fleet's retries over the whole
 * window instead of ±20 % around one value (gRPC), so gateways that lost one server at the same moment
 * do not come back in lockstep. Stateless and thread-safe.
 *
 * <p>A "failure" is whatever the strategy waits after: a failed attempt for the backoff strategy, a failed
 * round over all endpoints for the failover strategy.
 */
public final class JitteredBackoff {

    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final DoubleSupplier uniform;

    /**
     * @param uniform a source of numbers in {@code [0, 1)}; must be thread-safe
     */
    public JitteredBackoff(final long initialMillis, final long maxMillis, final double multiplier,
            final DoubleSupplier uniform) {
        this.initialNanos = TimeUnit.MILLISECONDS.toNanos(initialMillis);
        this.maxNanos = TimeUnit.MILLISECONDS.toNanos(maxMillis);
        this.multiplier = multiplier;
        this.uniform = uniform;
    }

    public JitteredBackoff(final long initialMillis, final long maxMillis, final double multiplier) {
        this(initialMillis, maxMillis, multiplier, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @return the upper bound of the wait after failure {@code n}: {@code min(max, initial * multiplier^n)} */
    public long ceilingNanos(final int n) {
        double ceiling = initialNanos * Math.pow(multiplier, n); // Infinity past the long range: capped below
        return ceiling >= maxNanos ? maxNanos : (long) ceiling;
    }

    /** @return the wait after failure {@code n}, uniform in {@code [0, ceilingNanos(n)]} */
    public long delayNanos(final int n) {
        long ceiling = ceilingNanos(n);
        // ceiling + 1 in double: at a ceiling of Long.MAX_VALUE the long sum wraps to a negative delay
        return Math.min(ceiling, (long) (uniform.getAsDouble() * (ceiling + 1.0)));
    }
}
