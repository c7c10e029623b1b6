package org.edgeha.recovery.strategy.support.testing;

import java.util.ArrayList;
import java.util.List;

import org.edgeha.recovery.strategy.support.Timing;

/** Virtual time for the recovery logic: sleeping advances the clock at once and is recorded. */
public final class VirtualTiming implements Timing {

    /** Every sleep, in nanoseconds, in order. */
    public final List<Long> sleeps = new ArrayList<>();
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(final long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("virtual sleep interrupted");
        }
        sleeps.add(nanos);
        now += nanos;
    }

    /** Lets virtual time pass without a sleep, as an attempt that takes time. */
    public void advance(final long nanos) {
        now += nanos;
    }
}
