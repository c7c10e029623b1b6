package org.edgeha.mqtt.internal;

/**
 * {@link MessageStore#append} refused a record; nothing was stored or dropped. {@link #neverFits()} tells a
 * record that is larger than the whole store (maps to {@code TOO_LARGE}) from a store that is full now under
 * {@code REJECT_NEW} (maps to {@code STORE_FULL}).
 */
final class StoreFullException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean neverFits;

    StoreFullException(String message, boolean neverFits) {
        super(message);
        this.neverFits = neverFits;
    }

    /** @return whether the record is larger than the store's byte limit, so it can never be stored */
    boolean neverFits() {
        return neverFits;
    }
}
