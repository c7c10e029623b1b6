package org.edgeha.gs.api;

/** Where a client's callbacks run. */
public enum DispatchMode {
    /** On a thread the engine owns (one at a time per client). The default. */
    ENGINE_THREAD,
    /** Only inside {@link GsClient#dispatch}, on the caller's thread (the C model). */
    EXPLICIT
}
