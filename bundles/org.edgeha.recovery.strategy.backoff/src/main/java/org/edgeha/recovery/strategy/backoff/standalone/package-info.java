/**
 * The backoff strategy outside OSGi, for code that runs on a plain class path (other modules' tests, the
 * benchmarks): {@link org.edgeha.recovery.strategy.backoff.standalone.StandaloneBackoff} builds the recovery
 * function the bundle's default component runs, to attach to a connection of any {@code HaConnections}
 * (for example one from {@code org.edgeha.recovery.standalone}). In a gateway the strategy is a whiteboard
 * service, configured by PID; nothing needs this package.
 *
 * <p>Exported by the strategy bundle itself, because it creates the strategy's private classes, which stay in
 * its {@code internal} package (docs/ARCHITECTURE.md, "Bundle boundaries").
 */
@Export
@Version("1.0.0")
package org.edgeha.recovery.strategy.backoff.standalone;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
