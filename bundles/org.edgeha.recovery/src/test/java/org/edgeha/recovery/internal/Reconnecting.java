package org.edgeha.recovery.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;

/** A recovery function that reconnects to the same endpoint until it succeeds or its budget is spent. */
final class Reconnecting implements RecoveryFunction {

    final AtomicInteger calls = new AtomicInteger();
    private final HaConnections connections;
    private final Duration budget;

    Reconnecting(HaConnections connections, Duration budget) {
        this.connections = connections;
        this.budget = budget;
    }

    @Override
    public int recover(int coid, Object handle) throws Exception {
        calls.incrementAndGet();
        long deadline = System.nanoTime() + budget.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return connections.reconnect(coid, null, Duration.ofMillis(500));
            } catch (IOException e) {
                last = e;
                Thread.sleep(2); // a reconnect loop: the server is down, try again shortly
            }
        }
        throw new IOException("server did not come back within " + budget, last);
    }
}
