package org.edgeha.gs.api;

import java.util.Objects;

/**
 * A synchronous GSAPI error: the call changed nothing. Unchecked, so that calls made from inside
 * callbacks stay short; {@link ReturnCode#COLLIDE} in particular is an expected outcome to handle.
 */
public class GsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ReturnCode returnCode;

    /**
     * @param returnCode the GSAPI return code, never {@link ReturnCode#OK}
     * @param message what was wrong, naming the group or token where there is one
     */
    public GsException(ReturnCode returnCode, String message) {
        super(returnCode + ": " + message);
        this.returnCode = Objects.requireNonNull(returnCode, "returnCode");
    }

    /** @return the GSAPI return code */
    public ReturnCode returnCode() {
        return returnCode;
    }
}
