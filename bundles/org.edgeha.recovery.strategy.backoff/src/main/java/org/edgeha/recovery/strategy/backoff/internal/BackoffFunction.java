package org.edgeha.recovery.strategy.backoff.internal;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;

/**
 * The strategy's recovery logic as a plain {@link RecoveryFunction}, without the DS component's registration
 * and logging: the same {@link BackoffRecovery} {@link BackoffStrategy} runs, reconnecting through
 * {@link HaConnections#reconnect}. Public for {@code StandaloneBackoff}, the exported way in.
 */
public final class BackoffFunction implements RecoveryFunction {

    private final BackoffRecovery recovery;

    private BackoffFunction(final BackoffRecovery recovery) {
        this.recovery = recovery;
    }

    /** @return the strategy with its default settings ({@link BackoffSettings#DEFAULTS}) */
    public static RecoveryFunction withDefaults(final HaConnections connections) {
        return new BackoffFunction(new BackoffRecovery(BackoffSettings.DEFAULTS, connections::reconnect));
    }

    @Override
    public int recover(final int coid, final Object handle) throws InterruptedException {
        return recovery.recover(coid).recovered() ? coid : FAILED;
    }

    @Override
    public String toString() {
        return "backoff (" + recovery.settings() + ")";
    }
}
