/**
 * Component property types for the Group Services whiteboard, so that DS components declare their
 * whiteboard properties as typed annotations (for example {@code @GsGroupName("pumps")
 * @GsInstance(1)}). Each maps to a constant of {@link org.edgeha.gs.api.GsWhiteboard}.
 */
@Export
@Version("1.0.0")
package org.edgeha.gs.api.propertytypes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
