package org.edgeha.recovery.strategy.failover.internal;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Fails a connection over across an ordered list of endpoints, sticky to the last one that worked. A
 * round tries the connection's last good endpoint first, then the others in list order (the list is an
 * order of preference); between rounds it waits a jittered, growing delay ({@link JitteredBackoff}). It
 * stops at the first success, when the attempts are used up, or when the next attempt could not start
 * within the budget.
 *
 * <p>The last good endpoint is kept per connection id in a concurrent map: recoveries of different
 * connections run concurrently on one instance (one connection never recovers twice at once). Before a
 * connection has recovered here, its current endpoint counts as the last good one when it is in the list.
 */
final class FailoverRecovery {

    /** How a recovery ended (interruption is thrown instead). */
    enum Outcome { RECOVERED, BUDGET_USED_UP, ATTEMPTS_USED_UP }

    /**
     * @param endpoint where the connection now goes; {@code null} unless recovered
     * @param rounds rounds started (a round tries each endpoint once)
     * @param failures the last failure per endpoint tried, in the order first tried
     */
    record Result(Outcome outcome, String endpoint, int attempts, int rounds, long elapsedNanos,
            Map<String, Exception> failures) {
        boolean recovered() {
            return outcome == Outcome.RECOVERED;
        }

        long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        }
    }

    private final FailoverSettings settings;
    private final JitteredBackoff backoff;
    private final Reconnector reconnector;
    private final Timing timing;
    private final ConcurrentMap<Integer, Integer> lastGood = new ConcurrentHashMap<>();

    FailoverRecovery(final FailoverSettings settings, final JitteredBackoff backoff, final Reconnector reconnector,
            final Timing timing) {
        this.settings = settings;
        this.backoff = backoff;
        this.reconnector = reconnector;
        this.timing = timing;
    }

    FailoverRecovery(final FailoverSettings settings, final Reconnector reconnector) {
        this(settings, settings.backoff(), reconnector, Timing.SYSTEM);
    }

    FailoverSettings settings() {
        return settings;
    }

    /** @return the index of the endpoint that last worked for this connection, if any */
    OptionalInt lastGood(final int coid) {
        Integer index = lastGood.get(coid);
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** Forgets the connections that no longer exist (connection ids are not reused). */
    void retainOnly(final IntPredicate exists) {
        lastGood.keySet().removeIf(coid -> !exists.test(coid));
    }

    /**
     * @param currentEndpoint the connection's endpoint now, used as the starting point until a recovery
     *     here succeeded; may be {@code null}
     * @throws InterruptedException when the thread was interrupted, between attempts or during one
     */
    Result recover(final int coid, final String currentEndpoint) throws InterruptedException {
        final long start = timing.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.budgetMillis());
        final long connectTimeout = TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMillis());
        final List<String> endpoints = settings.endpoints();
        final int[] order = order(startIndex(coid, currentEndpoint));
        Map<String, Exception> failures = new LinkedHashMap<>();
        int attempts = 0;
        int rounds = 0;
        while (true) {
            rounds++;
            for (int index : order) {
                if (Thread.interrupted()) {
                    throw interrupted(coid, attempts, null);
                }
                long remaining = deadline - timing.nanoTime();
                if (remaining <= 0) {
                    return result(Outcome.BUDGET_USED_UP, null, attempts, rounds, start, failures);
                }
                attempts++;
                String endpoint = endpoints.get(index);
                try {
                    int result = reconnector.reconnect(coid, endpoint,
                            Duration.ofNanos(Math.min(connectTimeout, remaining)));
                    if (result == coid) {
                        lastGood.put(coid, index);
                        return result(Outcome.RECOVERED, endpoint, attempts, rounds, start, failures);
                    }
                    failures.put(endpoint, new IllegalStateException(
                            "reconnect returned connection id " + result + ", not " + coid));
                } catch (InterruptedException e) {
                    throw interrupted(coid, attempts, e);
                } catch (Exception e) {
                    if (isInterruption(e)) {
                        Thread.interrupted(); // clear: the exception below carries it
                        throw interrupted(coid, attempts, e);
                    }
                    failures.put(endpoint, e);
                }
                if (settings.maxAttempts() >= 0 && attempts >= settings.maxAttempts()) {
                    return result(Outcome.ATTEMPTS_USED_UP, null, attempts, rounds, start, failures);
                }
            }
            long delay = backoff.delayNanos(rounds - 1);
            if (delay >= deadline - timing.nanoTime()) {
                return result(Outcome.BUDGET_USED_UP, null, attempts, rounds, start, failures);
            }
            timing.sleep(delay);
        }
    }

    private int startIndex(final int coid, final String currentEndpoint) {
        Integer last = lastGood.get(coid);
        if (last != null) {
            return last;
        }
        String current = Endpoints.normalizeOrNull(currentEndpoint);
        return current == null ? 0 : Math.max(settings.endpoints().indexOf(current), 0); // List.of: no indexOf(null)
    }

    /** @return {@code first}, then every other index in list order */
    private int[] order(final int first) {
        int size = settings.endpoints().size();
        int[] order = new int[size];
        order[0] = first;
        int next = 1;
        for (int i = 0; i < size; i++) {
            if (i != first) {
                order[next++] = i;
            }
        }
        return order;
    }

    private Result result(final Outcome outcome, final String endpoint, final int attempts, final int rounds,
            final long start, final Map<String, Exception> failures) {
        return new Result(outcome, endpoint, attempts, rounds, timing.nanoTime() - start,
                Collections.unmodifiableMap(failures));
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
                "failover of connection " + coid + " interrupted after " + attempts + " attempt(s)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
