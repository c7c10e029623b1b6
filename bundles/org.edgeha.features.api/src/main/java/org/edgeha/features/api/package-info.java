/**
 * Feature management on a running gateway: install, update and remove OSGi features (Feature Service
 * specification, OSGi R8 chapter 159) whose bundles come from the gateway's local repository folder.
 *
 * <p>A feature is identified by its Maven coordinates ({@code org.edgeha:recovery:0.1.0-SNAPSHOT}); its
 * bundles are named by Maven coordinates too. {@link org.edgeha.features.api.FeatureManager} is the one
 * service; the {@code feature:} shell commands and the {@code deploy/} folder use it.
 */
@Export
@Version("1.1.0")
package org.edgeha.features.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
