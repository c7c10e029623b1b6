package org.edgeha.recovery.internal;

import org.edgeha.recovery.api.RecoveryFunction;

/**
 * What makes a connection HA-aware (QNX's recovery record): the function and handle, whether recovery
 * is enabled, the ICOUNT/ACOUNT limits and counters, and statistics. Shared by duplicates
 * ({@code dup}). Guarded by this object's monitor, except the volatile {@link #icount} read on success.
 */
final class RecoveryRecord {

    /** {@code null}: the whiteboard chooses at each recovery. */
    RecoveryFunction function;
    Object handle;
    boolean suspended;
    int icountLimit = -1;
    volatile int icount;
    int acountLimit = -1;
    int acount;
    int references = 1;
    long succeeded;
    long failed;
    long lastRecoveryMillis = -1;

    RecoveryRecord(RecoveryFunction function, Object handle) {
        this.function = function;
        this.handle = handle;
    }

    /** @return why no recovery may start now, or {@code null} when it may */
    synchronized String refusal() {
        if (suspended) {
            return "recovery is suspended";
        }
        if (icountLimit >= 0 && icount >= icountLimit) {
            return "ICOUNT limit " + icountLimit + " reached";
        }
        if (acountLimit >= 0 && acount >= acountLimit) {
            return "ACOUNT limit " + acountLimit + " reached";
        }
        return null;
    }

    synchronized void countAttempt() {
        icount++;
        acount++;
    }

    synchronized void countOutcome(boolean success, long millis) {
        if (success) {
            succeeded++;
        } else {
            failed++;
        }
        lastRecoveryMillis = millis;
    }

    /** An operation succeeded: the failure that recoveries were counted against is over. */
    void operationSucceeded() {
        if (icount != 0) {
            synchronized (this) {
                icount = 0;
            }
        }
    }
}
