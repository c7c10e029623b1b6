package org.edgeha.gs.api;

/** GSAPI {@code gs_num_phases}. */
public enum NumPhases {
    /** Approved without voting: one approved notification per provider, never rejected. */
    ONE,
    /** Voted each phase until every provider approves or one rejects. */
    N
}
