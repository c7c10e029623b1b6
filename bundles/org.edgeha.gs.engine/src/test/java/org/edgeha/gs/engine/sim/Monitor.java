package org.edgeha.gs.engine.sim;

import java.util.function.BooleanSupplier;

/** Waiting on real threads without sleeping: callbacks call {@link #changed()}, tests {@link #await}. */
public final class Monitor {

    public synchronized void changed() {
        notifyAll();
    }

    /** @return whether {@code condition} became true within {@code millis} */
    public synchronized boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 100));
        }
        return true;
    }
}
