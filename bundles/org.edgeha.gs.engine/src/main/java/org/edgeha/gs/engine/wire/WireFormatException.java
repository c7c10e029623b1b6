package org.edgeha.gs.engine.wire;

/** A message that cannot be decoded: truncated, oversized, or with an unknown tag. */
public final class WireFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
