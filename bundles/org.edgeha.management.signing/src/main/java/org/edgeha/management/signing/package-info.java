/**
 * Signed remote management requests: the wire format ({@link org.edgeha.management.signing.ManagementRequest}) and
 * the signer with its keys ({@link org.edgeha.management.signing.RequestSigner}), JDK only.
 *
 * <p>A private library, never deployed on its own and exporting nothing (deliberately no {@code @Export} here), so
 * that the format has one implementation for both ends: bnd copies this package into {@code org.edgeha.management}
 * as a private package ({@code -conditionalpackage} in its {@code bnd.bnd}), which verifies requests with it, and the
 * gateway's executable jar carries it on the launcher's class path for the operators' command
 * ({@code java -jar edgeha-gateway.jar sign ...}, {@code org.edgeha.launcher.SignCommand}). Nothing here holds state.
 */
package org.edgeha.management.signing;
