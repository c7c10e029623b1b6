package org.edgeha.recovery.api;

/**
 * Commands of {@link HaConnections#control(int, int, int)}, with the numbers of QNX's
 * {@code ha_connection_ctrl()} ({@code HA_RECOVERY_*}).
 */
public enum ControlCommand {
    /** Lifetime limit on recoveries (the value; negative = unlimited, the default). */
    ACOUNT(1),
    /** Limit on recovery iterations for one failure (the value; negative = unlimited, the default). */
    ICOUNT(2),
    /** Recovery off: failures reach the caller as on a plain connection. Function, limits, counters stay. */
    SUSPEND(3),
    /** Recovery on again; nothing else changes. */
    ENABLE(4),
    /** Sets the iteration counter to 0. */
    RESET_ICOUNT(5),
    /** Sets the lifetime counter to 0. */
    RESET_ACOUNT(6);

    private final int code;

    ControlCommand(int code) {
        this.code = code;
    }

    /** @return the QNX number of the command */
    public int code() {
        return code;
    }

    /** @return the command with that number, or {@code null} when there is none */
    public static ControlCommand ofCode(int code) {
        for (ControlCommand command : values()) {
            if (command.code == code) {
                return command;
            }
        }
        return null;
    }
}
