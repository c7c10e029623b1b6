package org.edgeha.gs.engine.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

import org.edgeha.gs.engine.core.Scheduler;

/**
 * Virtual time for the simulated network: nothing happens until the test runs the scheduler, and
 * then every task runs on the calling thread in (time, submission) order. Deterministic: a run is
 * fully determined by the tasks submitted and the network's seed.
 */
public final class VirtualScheduler implements Scheduler {

    private static final class Task implements Comparable<Task>, Cancellable {
        final long time;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long time, long seq, Runnable run) {
            this.time = time;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs the next task. @return false when nothing is left */
    public boolean step() {
        Task t = queue.poll();
        if (t == null) {
            return false;
        }
        now = t.time;
        if (!t.cancelled) {
            executed++;
            t.run.run();
        }
        return true;
    }

    /** Runs every task due up to {@code time}, then sets the clock to it. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            step();
        }
        now = Math.max(now, time);
    }

    public void runFor(long millis) {
        runUntil(now + millis);
    }

    /**
     * Runs until {@code done} holds (checked after each task) or {@code maxMillis} of virtual time pass.
     *
     * @return whether {@code done} holds
     */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long end = now + maxMillis;
        while (!done.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().time > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** @return tasks run so far (cancelled ones not counted) */
    public long executed() {
        return executed;
    }
}
