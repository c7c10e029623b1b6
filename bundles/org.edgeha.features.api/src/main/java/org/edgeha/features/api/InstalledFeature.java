package org.edgeha.features.api;

import java.util.List;

/**
 * A feature installed on this gateway.
 *
 * @param id the feature's Maven coordinates, {@code groupId:artifactId:version}
 * @param name the feature's {@code name}, or its artifactId when it has none
 * @param bundles every bundle of the feature as {@code symbolicName version}, in the feature's order
 * @param ownedBundles those of {@code bundles} this feature installed (the others were there already, or
 *     another feature installed them); removing the feature uninstalls these unless another feature lists them
 * @param configurations the PIDs (factory configurations as {@code factoryPid~name}) the feature configured
 * @param origin where the feature came from: its file (for example in {@code deploy/}) or the repository
 */
public record InstalledFeature(String id, String name, List<String> bundles, List<String> ownedBundles,
        List<String> configurations, String origin) {

    public InstalledFeature {
        bundles = List.copyOf(bundles);
        ownedBundles = List.copyOf(ownedBundles);
        configurations = List.copyOf(configurations);
    }
}
