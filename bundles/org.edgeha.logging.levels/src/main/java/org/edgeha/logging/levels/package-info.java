/**
 * The per-logger levels of PID {@code org.edgeha.gateway.log} ({@link org.edgeha.logging.levels.LogLevels}).
 *
 * <p>A private library, never deployed on its own and exporting nothing (deliberately no {@code @Export} here), so
 * that the level rules have one implementation for both readers: bnd copies this package into
 * {@code org.edgeha.gateway} (EdgeHA's own log, the {@code log:} commands) and {@code org.edgeha.logging} (third-party
 * loggers) as a private package ({@code -conditionalpackage}). Nothing here holds state.
 */
package org.edgeha.logging.levels;
