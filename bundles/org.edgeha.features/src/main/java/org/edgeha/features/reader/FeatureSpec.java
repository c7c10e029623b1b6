package org.edgeha.features.reader;

import java.util.List;

import org.osgi.service.feature.ID;

/**
 * A feature as read and checked by {@link FeatureFile}.
 *
 * @param text the file's content, kept to record the installed feature
 */
public record FeatureSpec(ID id, String name, List<BundleSpec> bundles, List<ConfigSpec> configurations, String text) {

    public FeatureSpec {
        bundles = List.copyOf(bundles);
        configurations = List.copyOf(configurations);
    }

    /** @return {@code groupId:artifactId}: installing another feature with this key is an update */
    public String key() {
        return key(id);
    }

    private static String key(ID id) {
        return id.getGroupId() + ":" + id.getArtifactId();
    }
}
