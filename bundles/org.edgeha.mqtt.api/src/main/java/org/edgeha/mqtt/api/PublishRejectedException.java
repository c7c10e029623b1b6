package org.edgeha.mqtt.api;

/** A message was not accepted; nothing of it was stored or sent. The message says why, for an operator. */
public class PublishRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a message was refused. */
    public enum Reason {
        /** The store is full and the policy is {@link OverflowPolicy#REJECT_NEW}. */
        STORE_FULL,
        /** Topic empty, with a wildcard, or the QoS not 0, 1 or 2. */
        INVALID_MESSAGE,
        /** Larger than the configured maximum message size. */
        TOO_LARGE,
        /** {@link MqttBridge#publishDirect}: not connected to the broker now. */
        NOT_CONNECTED,
        /** The bridge is shutting down, or the store cannot be written. */
        UNAVAILABLE
    }

    private final Reason reason;

    public PublishRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PublishRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why */
    public Reason reason() {
        return reason;
    }
}
