package org.edgeha.itests;

import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling: OSGi start-up has no single event to wait on. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code problem} until it returns {@code null} (no problem left) or the deadline passes.
     *
     * @return {@code null} on success, else the last problem seen
     */
    public static String until(long timeoutMillis, Supplier<String> problem) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String last = problem.get();
        while (last != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = problem.get();
        }
        return last;
    }
}
