package org.edgeha.recovery.strategy.failover.internal;

import java.util.ArrayList;
import java.util.List;

/** Virtual time for the recovery logic: sleeping advances the clock at once and is recorded. */
final class VirtualTiming implements Timing {

    final List<Long> sleeps = new ArrayList<>();
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

    void advance(final long nanos) {
        now += nanos;
    }
}
