package org.edgeha.recovery.strategy.backoff.internal;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reconnects one connection to its own endpoint: an attempt at once, then after each failure a jittered
 * wait ({@link JitteredBackoff}) and another attempt, until one succeeds, the attempts are used up, or the
 * next attempt could not start within the budget. Holds no per-connection state, so one instance serves
 * concurrent recoveries of different connections.
 */
final class BackoffRecovery {

    /** How a recovery ended (interruption is thrown instead). */
    enum Outcome { RECOVERED, BUDGET_USED_UP, ATTEMPTS_USED_UP }

    /**
     * @param lastFailure the last attempt's failure; {@code null} when recovered
     */
    record Result(Outcome outcome, int attempts, long elapsedNanos, Exception lastFailure) {
        boolean recovered() {
            return outcome == Outcome.RECOVERED;
        }

        long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        }
    }

    private final BackoffSettings settings;
    private final JitteredBackoff backoff;
    private final Reconnector reconnector;
    private final Timing timing;

    BackoffRecovery(final BackoffSettings settings, final JitteredBackoff backoff, final Reconnector reconnector,
            final Timing timing) {
        this.settings = settings;
        this.backoff = backoff;
        this.reconnector = reconnector;
        this.timing = timing;
    }

    BackoffRecovery(final BackoffSettings settings, final Reconnector reconnector) {
        this(settings, settings.backoff(), reconnector, Timing.SYSTEM);
    }

    BackoffSettings settings() {
        return settings;
    }

    /**
     * @throws InterruptedException when the thread was interrupted, between attempts or during one
     *     (the interrupt status is cleared, as usual for this exception)
     */
    Result recover(final int coid) throws InterruptedException {
        final long start = timing.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.budgetMillis());
        final long connectTimeout = TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMillis());
        Exception last = null;
        int attempts = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw interrupted(coid, attempts, null);
            }
            long remaining = deadline - timing.nanoTime();
            if (remaining <= 0) {
                return new Result(Outcome.BUDGET_USED_UP, attempts, timing.nanoTime() - start, last);
            }
            attempts++;
            try {
                int result = reconnector.reconnect(coid, null, Duration.ofNanos(Math.min(connectTimeout, remaining)));
                if (result == coid) {
                    return new Result(Outcome.RECOVERED, attempts, timing.nanoTime() - start, null);
                }
                last = new IllegalStateException("reconnect returned connection id " + result + ", not " + coid);
            } catch (InterruptedException e) {
                throw interrupted(coid, attempts, e);
            } catch (Exception e) {
                if (isInterruption(e)) {
                    Thread.interrupted(); // clear: the exception below carries it
                    throw interrupted(coid, attempts, e);
                }
                last = e;
            }
            if (settings.maxAttempts() >= 0 && attempts >= settings.maxAttempts()) {
                return new Result(Outcome.ATTEMPTS_USED_UP, attempts, timing.nanoTime() - start, last);
            }
            long delay = backoff.delayNanos(attempts - 1);
            if (delay >= deadline - timing.nanoTime()) {
                // The next attempt would start after the budget: give the caller its error now, not later.
                return new Result(Outcome.BUDGET_USED_UP, attempts, timing.nanoTime() - start, last);
            }
            timing.sleep(delay);
        }
    }

    /** An interrupted connect shows up as the channel's exception, sometimes with the flag still set. */
    static boolean isInterruption(final Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    private static InterruptedException interrupted(final int coid, final int attempts, final Exception cause) {
        InterruptedException e = new InterruptedException(
                "recovery of connection " + coid + " interrupted after " + attempts + " attempt(s)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
