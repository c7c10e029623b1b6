package org.edgeha.recovery.api;

/**
 * A call on {@link HaConnections} was refused. Nothing was changed by the call that threw it. The
 * message names the connection id; {@link #code()} says why.
 */
public class HaException extends Exception {
    private static final long serialVersionUID = 1L;

    private final HaError code;
    private final int coid;

    /**
     * @param code why the call was refused
     * @param coid the connection id concerned, or -1 when none
     * @param message the whole message, naming the connection id
     */
    public HaException(HaError code, int coid, String message) {
        super(code + ": " + message);
        this.code = code;
        this.coid = coid;
    }

    /** @return the error code */
    public HaError code() {
        return code;
    }

    /** @return the connection id concerned, or -1 when none */
    public int coid() {
        return coid;
    }
}
