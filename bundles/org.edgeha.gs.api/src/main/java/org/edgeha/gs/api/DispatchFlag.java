package org.edgeha.gs.api;

/** GSAPI dispatch flags for {@link GsClient#dispatch}. */
public enum DispatchFlag {
    /** Run the callbacks queued now, then return ({@code HA_GS_NON_BLOCKING}). */
    NON_BLOCKING,
    /** Keep running callbacks until the client quits or the thread is interrupted ({@code HA_GS_BLOCKING}). */
    BLOCKING
}
