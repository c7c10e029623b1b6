/**
 * The recovery service outside OSGi, for code that runs on a plain class path: other modules' tests, the
 * benchmarks, a tool. {@link org.edgeha.recovery.standalone.StandaloneHaConnections} starts the same
 * implementation DS activates in a gateway, with its default configuration, and stops it; everything else goes
 * through {@link org.edgeha.recovery.api.HaConnections}. In a gateway, use the {@code HaConnections} service.
 *
 * <p>Exported by the implementation bundle, not the API bundle: it holds code that creates the implementation,
 * which stays in the bundle's private {@code internal} package (docs/ARCHITECTURE.md, "Bundle boundaries").
 */
@Export
@Version("1.0.0")
package org.edgeha.recovery.standalone;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
