package org.edgeha.gs.engine.node;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import org.edgeha.gs.engine.core.EngineLog;

/**
 * One client's callbacks, run one at a time in the order posted: on an engine-owned executor
 * ({@code ENGINE_THREAD}) or inside {@code dispatch()} ({@code EXPLICIT}). Posting never runs a
 * callback, so the engine can post while holding its lock.
 */
public final class CallbackQueue {

    private static final int BATCH = 64;

    private final Executor executor;
    private final EngineLog log;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean closed;
    private volatile Thread running;

    /** @param executor runs the queue; {@code null} for explicit dispatch */
    public CallbackQueue(Executor executor, EngineLog log) {
        this.executor = executor;
        this.log = log;
    }

    public void post(Runnable callback) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.addLast(callback);
            if (executor == null) {
                notifyAll();
                return;
            }
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable r;
            synchronized (this) {
                r = queue.pollFirst();
                if (r == null) {
                    scheduled = false;
                    return;
                }
            }
            run(r);
        }
        executor.execute(this::drain); // let other clients' callbacks run too
    }

    private void run(Runnable r) {
        running = Thread.currentThread();
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            log.error("Group Services: a callback threw; ignored", e);
        } finally {
            running = null;
        }
    }

    /**
     * Runs queued callbacks on the calling thread (explicit dispatch).
     *
     * @return the number run
     */
    public int dispatch(boolean blocking) {
        int n = 0;
        while (true) {
            Runnable r;
            synchronized (this) {
                while (blocking && queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return n;
                    }
                }
                r = queue.pollFirst();
                if (r == null) {
                    return n;
                }
            }
            run(r);
            n++;
        }
    }

    /** @return whether the calling thread is running one of this queue's callbacks */
    public boolean isCallbackThread() {
        return running == Thread.currentThread();
    }

    public boolean isExplicit() {
        return executor == null;
    }

    public synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }

    public synchronized int size() {
        return queue.size();
    }
}
