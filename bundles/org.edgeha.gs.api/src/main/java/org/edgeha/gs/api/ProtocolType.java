package org.edgeha.gs.api;

/** The kind of a protocol or request (GSAPI {@code gs_protocol_type}, {@code ha_gs_request_t}). */
public enum ProtocolType {
    /** A provider joins ({@link GsClient#join}); system-queued. */
    JOIN,
    /** A provider leaves voluntarily ({@link GsClient#leave}). */
    LEAVE,
    /** Providers are expelled ({@link GsClient#expel}). */
    EXPEL,
    /**
     * Failed providers are removed (process, bundle, client or gateway failure, goodbye, quit);
     * system-queued, always approved.
     */
    FAILURE_LEAVE,
    /** A new state value ({@link GsClient#changeStateValue}). */
    STATE_CHANGE,
    /** A provider broadcast ({@link GsClient#sendMessage}). */
    MESSAGE,
    /** New group attributes ({@link GsClient#changeAttributes}). */
    ATTRIBUTE_CHANGE,
    /** Not a protocol: the request type of {@link GsClient#subscribe}, for delayed errors. */
    SUBSCRIBE
}
