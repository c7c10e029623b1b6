package org.edgeha.recovery.strategy.backoff.standalone;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.strategy.backoff.internal.BackoffFunction;

/**
 * The backoff strategy as a plain {@link RecoveryFunction}, without OSGi: reconnects a broken connection to its
 * same endpoint through {@link HaConnections#reconnect} with capped exponential backoff and full jitter, exactly
 * as the gateway's default instance does (PID {@code org.edgeha.recovery.strategy.backoff.default}), but neither
 * registered nor logging. It returns the connection's id when an attempt succeeded, else
 * {@link RecoveryFunction#FAILED}; an interrupt ends it with an {@link InterruptedException}. One function
 * serves concurrent recoveries of different connections.
 */
public final class StandaloneBackoff {

    private StandaloneBackoff() {
    }

    /**
     * @param connections the service whose connections it reconnects (the one they are attached in)
     * @return the strategy with the default settings: initial delay 10 ms, max delay 100 ms, multiplier 2,
     *     connect timeout 1000 ms, budget 25 s, no attempt limit
     */
    public static RecoveryFunction defaultStrategy(final HaConnections connections) {
        return BackoffFunction.withDefaults(connections);
    }
}
