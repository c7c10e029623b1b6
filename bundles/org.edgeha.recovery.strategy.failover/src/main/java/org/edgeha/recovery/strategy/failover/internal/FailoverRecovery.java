package org.edgeha.recovery.strategy.failover.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.AttemptLoop.Outcome;
import org.edgeha.recovery.strategy.support.JitteredBackoff;
import org.edgeha.recovery.strategy.support.Reconnector;
import org.edgeha.recovery.strategy.support.Timing;

/**
 * Fails a connection over across an ordered list of endpoints, sticky to the last one that worked. A
 * round tries the connection's last good endpoint first, then the others in list order (the list is an
 * order of preference); between rounds it waits a jittered, growing delay ({@link JitteredBackoff}). It
 * stops at the first success, when the attempts are used up, or when the next attempt could not start
 * within the budget ({@link AttemptLoop}, with this round).
 *
 * <p>The last good endpoint is kept per connection id in a concurrent map: recoveries of different
 * connections run concurrently on one instance (one connection never recovers twice at once). Before a
 * connection has recovered here, its current endpoint counts as the last good one when it is in the list.
 */
final class FailoverRecovery {

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
    private final AttemptLoop loop;
    private final ConcurrentMap<Integer, Integer> lastGood = new ConcurrentHashMap<>();

    FailoverRecovery(final FailoverSettings settings, final JitteredBackoff backoff, final Reconnector reconnector,
            final Timing timing) {
        this.settings = settings;
        this.loop = new AttemptLoop("failover", settings, backoff, reconnector, timing);
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
        final List<String> endpoints = settings.endpoints();
        final int[] order = order(startIndex(coid, currentEndpoint));
        List<String> round = new ArrayList<>(order.length);
        for (int index : order) {
            round.add(endpoints.get(index));
        }
        Map<String, Exception> failures = new LinkedHashMap<>();
        AttemptLoop.Run run = loop.run(coid, round, failures::put);
        String endpoint = null;
        if (run.recovered()) {
            lastGood.put(coid, order[run.position()]);
            endpoint = round.get(run.position());
        }
        return new Result(run.outcome(), endpoint, run.attempts(), run.rounds(), run.elapsedNanos(),
                Collections.unmodifiableMap(failures));
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
}
