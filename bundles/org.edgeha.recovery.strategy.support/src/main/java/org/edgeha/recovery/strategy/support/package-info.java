/**
 * Code the recovery strategy bundles share: the attempt loop ({@link
 * org.edgeha.recovery.strategy.support.AttemptLoop}), jittered backoff, the clock, settings checks and the
 * service properties of a strategy that registers itself.
 *
 * <p>A private library, never deployed on its own and exporting nothing (deliberately no {@code @Export}
 * here). Each strategy bundle must stay deployable by itself, so rather than a shared bundle that all of
 * them would depend on, bnd copies the classes of this package into each strategy bundle as a private
 * package ({@code -conditionalpackage: org.edgeha.recovery.strategy.support.*} in the bundle's
 * {@code bnd.bnd}; the bundle's pom depends on this module with scope {@code provided}). Every bundle
 * therefore has its own copy of these classes, loaded by its own class loader: nothing here may hold
 * state meant to be shared between bundles.
 *
 * <p>The classes are public only so that the strategy packages can use them; they are no API.
 */
package org.edgeha.recovery.strategy.support;
