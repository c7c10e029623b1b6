package org.edgeha.gs.engine.core;

/**
 * Time and deferred work for the engine: virtual time in the simulated network, the wall clock in a
 * gateway. Tasks run one at a time, in time order, and in submission order for equal times.
 */
public interface Scheduler {

    /** A scheduled task that can be called off. */
    interface Cancellable {
        void cancel();
    }

    /** @return the current time in milliseconds (only differences are meaningful) */
    long nowMillis();

    /**
     * Runs {@code task} after {@code delayMillis} (0: as soon as the tasks already due have run).
     *
     * @return a handle to cancel it
     */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs {@code task} soon, after the tasks already due. */
    default void execute(Runnable task) {
        schedule(0, task);
    }
}
