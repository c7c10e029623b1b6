package org.edgeha.features.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, updates and removes features on the running gateway.
 *
 * <p><b>Install</b> reads and validates the feature, finds every bundle (already installed in the framework, or
 * in the local repository folder in Maven layout), installs the missing ones, resolves them together and only
 * then pushes the feature's configurations to ConfigAdmin and starts the new bundles in {@code start-order}. If a
 * bundle is missing, does not resolve or fails to start, everything this call installed is uninstalled again
 * and a {@link FeatureException} names the cause (for a resolution failure: the bundle and the requirement
 * nobody provides); the gateway is left as it was. Installing a feature whose id (group and artifact) is
 * installed already with other content or another version is an <b>update</b>: the new feature is installed
 * as above, then the bundles only the old one needed are removed.
 *
 * <p><b>Remove</b> deletes the feature's configurations and stops and uninstalls the bundles it installed,
 * except those another installed feature also lists.
 *
 * <p>Installed features are recorded under {@code ${edgeha.home}/data/features/} and installed again when the
 * gateway starts, so {@link #list()} survives a restart.
 *
 * <p>Thread-safety: every method may be called from any thread. Operations run one at a time: a call blocks
 * while another install or remove is in progress, and installs and removes block on the framework (bundle
 * installation, resolution, start and stop), so do not call them from a bundle or framework event callback.
 */
@ProviderType
public interface FeatureManager {

    /**
     * Installs or updates the feature in a feature file.
     *
     * @param featureFile an OSGi Feature JSON file
     * @return the feature as installed
     * @throws FeatureException when the file is not a valid feature, or the feature cannot be installed; then
     *     nothing changed
     */
    InstalledFeature install(Path featureFile) throws FeatureException;

    /**
     * Installs the feature {@code id} from the local repository: the file
     * {@code <group path>/<artifact>/<version>/<artifact>-<version>.osgifeature} (or {@code .json}).
     *
     * @param id Maven coordinates {@code groupId:artifactId:version}
     * @return the feature as installed
     * @throws FeatureException as {@link #install(Path)}, or when the repository has no such feature
     */
    InstalledFeature install(String id) throws FeatureException;

    /**
     * Removes an installed feature.
     *
     * @param id the feature's full id, or {@code groupId:artifactId}, or just its artifactId when that names one
     *     installed feature
     * @return the feature as it was installed
     * @throws FeatureException when no installed feature has that id, or the id names several
     */
    InstalledFeature remove(String id) throws FeatureException;

    /** @return the installed features, ordered by id */
    List<InstalledFeature> list();

    /**
     * Every feature this gateway knows, as {@code feature:list} shows it: the built-in ones, then those installed at
     * run time, then those available in the repository folders and not installed, each sorted by id. Walks the
     * repository folders on the calling thread (and, like {@link #list()}, waits for an install or remove in
     * progress).
     *
     * @return the features, each once
     * @since 1.1
     */
    List<KnownFeature> known();

    /**
     * @param id as for {@link #remove(String)}
     * @return the installed feature, if any
     */
    Optional<InstalledFeature> find(String id);
}
