package org.edgeha.recovery.strategy.support;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;

/**
 * The attempt loop of one recovery, the same for every strategy: rounds of connect attempts, each round
 * trying a list of endpoints once in order, with a jittered wait ({@link JitteredBackoff}) between rounds,
 * until an attempt succeeds, the attempts are used up, the next attempt could not start within the
 * budget, or an attempt failed in a way no retry can cure ({@link #isIncurable}: a closed connection). The backoff strategy's round is one attempt to the connection's own endpoint; the failover
 * strategy's round is its endpoint list, starting with the last good one.
 *
 * <p>Every attempt may block for the connect timeout, but never past the budget. Interruption (the
 * recovery service's timeout) ends the loop at once with an {@link InterruptedException}, also when it
 * arrives during a connect. Holds no per-connection state, so one instance serves concurrent recoveries of
 * different connections.
 */
public final class AttemptLoop {

    /** How a recovery ended (interruption is thrown instead). */
    public enum Outcome {
        RECOVERED, BUDGET_USED_UP, ATTEMPTS_USED_UP,
        /** A failure no retry can cure (the connection was closed, or its kind cannot reconnect): ended at once. */
        INCURABLE;

        /** @return why a run that did not recover ended, for the strategies' log lines */
        public String describe(final Limits limits) {
            return switch (this) {
                case RECOVERED -> "recovered";
                case BUDGET_USED_UP -> "budget.ms=" + limits.budgetMillis() + " used up";
                case ATTEMPTS_USED_UP -> "max.attempts=" + limits.maxAttempts() + " used up";
                case INCURABLE -> "given up at once: no retry can cure this failure";
            };
        }
    }

    /** The limits of one recovery, checked (see {@link Sanitize}); a strategy's settings record has them. */
    public interface Limits {
        /** @return the longest one connect attempt may block */
        long connectTimeoutMillis();

        /** @return the longest one recovery may take, attempts and waits together */
        long budgetMillis();

        /** @return connect attempts per recovery; negative = unlimited (the budget still applies) */
        int maxAttempts();
    }

    /**
     * @param position where in the round the attempt that succeeded was; -1 unless recovered
     * @param rounds rounds started
     * @param lastFailure the last attempt's failure; {@code null} when recovered
     */
    public record Run(Outcome outcome, int position, int attempts, int rounds, long elapsedNanos,
            Exception lastFailure) {
        public boolean recovered() {
            return outcome == Outcome.RECOVERED;
        }
    }

    private final String activity;
    private final Limits limits;
    private final JitteredBackoff backoff;
    private final Reconnector reconnector;
    private final Timing timing;

    /**
     * @param activity what the message of an interruption calls a run, e.g. "recovery"
     * @param backoff the wait after round {@code n} is {@code backoff.delayNanos(n)}
     */
    public AttemptLoop(final String activity, final Limits limits, final JitteredBackoff backoff,
            final Reconnector reconnector, final Timing timing) {
        this.activity = activity;
        this.limits = limits;
        this.backoff = backoff;
        this.reconnector = reconnector;
        this.timing = timing;
    }

    /**
     * @param round the endpoints of one round, in order; {@code null} stands for the connection's current
     *     endpoint (see {@link Reconnector})
     * @param failed told about each failed attempt: the endpoint tried and its failure
     * @throws InterruptedException when the thread was interrupted, between attempts or during one
     *     (the interrupt status is cleared, as usual for this exception)
     */
    public Run run(final int coid, final List<String> round, final BiConsumer<String, Exception> failed)
            throws InterruptedException {
        final long start = timing.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(limits.budgetMillis());
        final long connectTimeout = TimeUnit.MILLISECONDS.toNanos(limits.connectTimeoutMillis());
        final int maxAttempts = limits.maxAttempts();
        Exception last = null;
        int attempts = 0;
        int rounds = 0;
        while (true) {
            rounds++;
            for (int position = 0; position < round.size(); position++) {
                if (Thread.interrupted()) {
                    throw interrupted(coid, attempts, null);
                }
                long remaining = deadline - timing.nanoTime();
                if (remaining <= 0) {
                    return new Run(Outcome.BUDGET_USED_UP, -1, attempts, rounds, timing.nanoTime() - start, last);
                }
                attempts++;
                String endpoint = round.get(position);
                try {
                    int result = reconnector.reconnect(coid, endpoint,
                            Duration.ofNanos(Math.min(connectTimeout, remaining)));
                    if (result == coid) {
                        return new Run(Outcome.RECOVERED, position, attempts, rounds, timing.nanoTime() - start,
                                null);
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
                    if (isIncurable(e)) {
                        // e.g. 424 attempts at a closed coid in a 25 s budget, each failing with EBADF (issue 14)
                        failed.accept(endpoint, e);
                        return new Run(Outcome.INCURABLE, -1, attempts, rounds, timing.nanoTime() - start, e);
                    }
                }
                failed.accept(endpoint, last);
                if (maxAttempts >= 0 && attempts >= maxAttempts) {
                    return new Run(Outcome.ATTEMPTS_USED_UP, -1, attempts, rounds, timing.nanoTime() - start, last);
                }
            }
            long delay = backoff.delayNanos(rounds - 1);
            if (delay >= deadline - timing.nanoTime()) {
                // The next attempt would start after the budget: give the caller its error now, not later.
                return new Run(Outcome.BUDGET_USED_UP, -1, attempts, rounds, timing.nanoTime() - start, last);
            }
            timing.sleep(delay);
        }
    }

    /**
     * A failure that the same call cannot get past however often it is retried: the connection id is closed or
     * unknown ({@code EBADF}), the connection cannot be reconnected by endpoint ({@code EINVAL}, or a kind without
     * {@code connect}).
     */
    public static boolean isIncurable(final Throwable failure) {
        if (failure instanceof HaException ha) {
            return ha.code() == HaError.EBADF || ha.code() == HaError.EINVAL;
        }
        return failure instanceof UnsupportedOperationException;
    }

    /** An interrupted connect shows up as the channel's exception, sometimes with the flag still set. */
    public static boolean isInterruption(final Throwable failure) {
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

    private InterruptedException interrupted(final int coid, final int attempts, final Exception cause) {
        InterruptedException e = new InterruptedException(
                activity + " of connection " + coid + " interrupted after " + attempts + " attempt(s)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
