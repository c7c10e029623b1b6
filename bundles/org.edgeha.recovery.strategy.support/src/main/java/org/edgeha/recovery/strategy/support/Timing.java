package org.edgeha.recovery.strategy.support;

import java.util.concurrent.TimeUnit;

/** The clock and the sleep of the recovery logic; tests may run it on virtual time. */
public interface Timing {

    /** Real time: {@link System#nanoTime()} and an interruptible sleep. */
    Timing SYSTEM = new Timing() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(final long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    /** @return a monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();

    /** Sleeps, or throws at once when interrupted. */
    void sleep(long nanos) throws InterruptedException;
}
