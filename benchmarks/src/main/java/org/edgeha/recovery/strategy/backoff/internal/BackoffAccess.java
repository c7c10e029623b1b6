package org.edgeha.recovery.strategy.backoff.internal;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;

/**
 * The default strategy's recovery logic with its default settings, outside OSGi for the benchmarks: the
 * same {@link BackoffRecovery} the DS component runs, reconnecting through the real recovery service.
 */
public final class BackoffAccess {

    private BackoffAccess() {
    }

    public static RecoveryFunction defaultStrategy(HaConnections connections) {
        BackoffRecovery recovery = new BackoffRecovery(BackoffSettings.DEFAULTS, connections::reconnect);
        return (coid, handle) -> recovery.recover(coid).recovered() ? coid : RecoveryFunction.FAILED;
    }
}
