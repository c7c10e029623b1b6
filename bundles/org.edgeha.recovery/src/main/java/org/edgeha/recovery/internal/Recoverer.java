package org.edgeha.recovery.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.edgeha.recovery.api.ConnectionState;
import org.edgeha.recovery.api.RecoveryFunction;

/**
 * Runs recoveries: at most one per link at a time, on the executor's threads, bounded by a timeout;
 * callers that fail while one runs wait for it. Reports every outcome to a listener.
 */
final class Recoverer {

    /** Who recovers a connection, chosen when a recovery starts. */
    record Choice(RecoveryFunction function, String description) {
    }

    interface Listener {
        void recovered(Conn conn, RecoveryOutcome outcome);
    }

    private final ExecutorService executor;
    private final LongSupplier timeoutMillis;
    private final Function<Conn, Choice> chooser;
    private final Listener listener;

    Recoverer(ExecutorService executor, LongSupplier timeoutMillis, Function<Conn, Choice> chooser, Listener listener) {
        this.executor = executor;
        this.timeoutMillis = timeoutMillis;
        this.chooser = chooser;
        this.listener = listener;
    }

    /**
     * Called by an operation that failed because the connection broke.
     *
     * @param generationSeen the link's generation when the failed operation began
     * @return the outcome; on success the caller re-issues its operation
     */
    RecoveryOutcome recover(Conn conn, RecoveryRecord record, long generationSeen) {
        Link link = conn.link;
        CompletableFuture<RecoveryOutcome> outcome;
        synchronized (link) {
            if (link.generation != generationSeen) {
                // Another thread's recovery finished after our operation began: just retry.
                return new RecoveryOutcome(true, null, "an earlier recovery", 0);
            }
            outcome = link.inFlight;
            if (outcome == null) {
                String refusal = record.refusal();
                if (refusal != null) {
                    return RecoveryOutcome.refused(refusal + " on connection " + conn.coid);
                }
                outcome = start(conn, record);
            }
        }
        return await(outcome);
    }

    /** Starts a recovery; the caller holds the link's monitor. */
    private CompletableFuture<RecoveryOutcome> start(Conn conn, RecoveryRecord record) {
        Link link = conn.link;
        CompletableFuture<RecoveryOutcome> outcome = new CompletableFuture<>();
        record.countAttempt();
        link.inFlight = outcome;
        link.state = ConnectionState.RECOVERING;
        long started = System.nanoTime();
        Choice choice = chooser.apply(conn);
        link.recoveringWith = choice.function();
        Object handle;
        synchronized (record) {
            handle = record.handle;
        }
        long timeout = timeoutMillis.getAsLong();
        executor.execute(() -> run(conn, record, choice, handle, outcome, started));
        outcome.orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((result, error) -> {
            if (error != null) {
                // Timed out: the caller gets its original error; the stuck function is interrupted.
                finish(conn, record, outcome, new RecoveryOutcome(false,
                        new TimeoutException("recovery function " + choice.description() + " did not return within "
                                + timeout + " ms"), choice.description(), elapsedMillis(started)));
            }
        });
        return outcome;
    }

    private void run(Conn conn, RecoveryRecord record, Choice choice, Object handle,
            CompletableFuture<RecoveryOutcome> outcome, long started) {
        synchronized (conn.link) {
            if (conn.link.inFlight != outcome) {
                return; // timed out before it could start
            }
            conn.link.recoveryThread = Thread.currentThread();
        }
        RecoveryOutcome result;
        VirtualMachineError fatal = null;
        if (choice.function() == null) {
            result = new RecoveryOutcome(false, new IllegalStateException("no recovery function: " + choice.description()),
                    choice.description(), elapsedMillis(started));
        } else {
            try {
                int returned = choice.function().recover(conn.coid, handle);
                result = returned == conn.coid
                        ? new RecoveryOutcome(true, null, choice.description(), elapsedMillis(started))
                        : new RecoveryOutcome(false, new IllegalStateException(choice.description() + " returned "
                                + returned + " for connection " + conn.coid), choice.description(), elapsedMillis(started));
            } catch (Exception | Error e) {
                // Any throw is a failed recovery, told to the caller at once: a LinkageError (the function's bundle
                // went away under it), an AssertionError or a StackOverflowError too; without this the caller
                // waited for the whole recovery timeout and learnt only that it timed out.
                result = new RecoveryOutcome(false, e, choice.description(), elapsedMillis(started));
                if (e instanceof VirtualMachineError v && !(e instanceof StackOverflowError)) {
                    fatal = v; // out of memory: the caller is told, then it goes on up, as the JVM expects
                }
            }
        }
        finish(conn, record, outcome, result);
        Thread.interrupted(); // an interrupt meant for this recovery must not reach the next task
        if (fatal != null) {
            throw fatal;
        }
    }

    private void finish(Conn conn, RecoveryRecord record, CompletableFuture<RecoveryOutcome> outcome,
            RecoveryOutcome result) {
        Link link = conn.link;
        synchronized (link) {
            if (link.inFlight != outcome) {
                return; // already finished (timeout and function raced)
            }
            link.inFlight = null;
            if (link.recoveryThread != null && result.failure() instanceof TimeoutException) {
                link.recoveryThread.interrupt();
            }
            link.recoveryThread = null;
            link.recoveringWith = null;
            if (result.success()) {
                link.generation++;
            }
            if (link.state == ConnectionState.RECOVERING) {
                link.state = result.success() ? ConnectionState.OPEN : ConnectionState.BROKEN;
            }
        }
        record.countOutcome(result.success(), result.millis());
        outcome.complete(result);
        listener.recovered(conn, result);
    }

    /** Interrupts the recovery running for a link with this function, if any (its service went away). */
    void interruptIfRunning(Link link, RecoveryFunction function) {
        synchronized (link) {
            if (link.recoveryThread != null && link.recoveringWith == function) {
                link.recoveryThread.interrupt();
            }
        }
    }

    private static RecoveryOutcome await(CompletableFuture<RecoveryOutcome> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RecoveryOutcome(false, e, "none", 0);
        } catch (ExecutionException | CompletionException | CancellationException e) {
            // finish() completes normally even on timeout; anything else is a bug worth reporting as-is
            return new RecoveryOutcome(false, e.getCause() == null ? e : e.getCause(), "none", 0);
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
