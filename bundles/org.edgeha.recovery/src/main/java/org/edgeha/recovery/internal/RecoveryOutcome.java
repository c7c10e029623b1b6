package org.edgeha.recovery.internal;

/**
 * How one recovery ended.
 *
 * @param success whether the function returned the connection id
 * @param failure what the function threw, or why recovery did not run or failed; {@code null} on success
 * @param function who recovered (for logs and events)
 * @param millis how long the recovery took
 */
record RecoveryOutcome(boolean success, Throwable failure, String function, long millis) {

    static RecoveryOutcome refused(String why) {
        return new RecoveryOutcome(false, new RecoveryRefusedException(why), "none", 0);
    }

    /** Why a broken operation was not recovered; attached to the original error as suppressed. */
    static final class RecoveryRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RecoveryRefusedException(String message) {
            super(message, null, false, false);
        }
    }
}
