package org.edgeha.recovery.strategy.backoff.internal;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.AttemptLoop.Outcome;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Reconnector;
import org.edgeha.recovery.strategy.support.Timing;

/**
 * Reconnects one connection to its own endpoint: an attempt at once, then after each failure a jittered
 * wait ({@link JitteredBackoff}) and another attempt, until one succeeds, the attempts are used up, or the
 * next attempt could not start within the budget ({@link AttemptLoop}, with rounds of one attempt). Holds
 * no per-connection state, so one instance serves concurrent recoveries of different connections.
 */
final class BackoffRecovery {

    /** Each round is one attempt to the connection's current endpoint ({@code null}, see {@link Reconnector}). */
    private static final List<String> OWN_ENDPOINT = Collections.singletonList(null);

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
    private final AttemptLoop loop;

    BackoffRecovery(final BackoffSettings settings, final JitteredBackoff backoff, final Reconnector reconnector,
            final Timing timing) {
        this.settings = settings;
        this.loop = new AttemptLoop("recovery", settings, backoff, reconnector, timing);
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
        AttemptLoop.Run run = loop.run(coid, OWN_ENDPOINT, (endpoint, failure) -> { });
        return new Result(run.outcome(), run.attempts(), run.elapsedNanos(), run.lastFailure());
    }
}
