package org.edgeha.recovery.api;

/** Where a connection stands, as {@link ConnectionInfo#state()} reports it. */
public enum ConnectionState {
    /** Usable; the last operation or recovery succeeded. */
    OPEN,
    /** A recovery function is running for it; operations wait for the outcome. */
    RECOVERING,
    /** The last recovery failed (or recovery was not possible); the next broken operation tries again. */
    BROKEN,
    /** Closed: the id is no longer valid. */
    CLOSED
}
