package org.edgeha.features.reader;

import org.osgi.service.feature.ID;

/**
 * One bundle entry of a feature.
 *
 * @param startOrder the entry's {@code start-order}, or {@code null}: started after every bundle that has one
 */
public record BundleSpec(ID id, Integer startOrder) {
}
