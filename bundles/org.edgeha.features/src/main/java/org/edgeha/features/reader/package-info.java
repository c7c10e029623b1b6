/**
 * Reading and checking OSGi feature files (R8 ch. 159) the way the gateway does:
 * {@link org.edgeha.features.reader.FeatureFile#read} parses one file with a {@code FeatureService} and the checks
 * the Felix implementation leaves out, and returns a {@link org.edgeha.features.reader.FeatureSpec} (with its
 * {@link org.edgeha.features.reader.BundleSpec}s and {@link org.edgeha.features.reader.ConfigSpec}s) or throws a
 * {@code FeatureException}. Stateless; works with or without OSGi.
 *
 * <p>Exported by the implementation bundle so that the distro build (gateway-distro's {@code DistroFeatures})
 * refuses exactly the files the gateway refuses, without reaching into the bundle's private {@code internal}
 * package; the feature manager itself stays there (docs/ARCHITECTURE.md, "Bundle boundaries").
 */
@Export
@Version("1.0.0")
package org.edgeha.features.reader;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
