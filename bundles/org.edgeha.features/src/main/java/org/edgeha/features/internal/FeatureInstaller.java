package org.edgeha.features.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.reader.BundleSpec;
import org.edgeha.features.reader.ConfigSpec;
import org.edgeha.features.reader.FeatureSpec;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.feature.ID;

/**
 * Installs one feature's bundles all or nothing: find every bundle (installed already, or in the repository),
 * install the missing ones, resolve them together, push the configurations, start the new bundles in
 * {@code start-order}. Any failure undoes what this call did and throws. Also uninstalls bundles.
 *
 * <p>Not thread-safe: {@link FeatureManagerImpl} calls it under its lock. Blocks on the framework.
 */
final class FeatureInstaller {

    /** Location prefix of the bundles feature management installed: such bundles are "managed". */
    static final String LOCATION_PREFIX = "edgeha-feature:";

    static final long REFRESH_TIMEOUT_S = 30;

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Path etc;

    /** @param etc the folder of configuration files ({@code ${edgeha.home}/etc}), or null */
    FeatureInstaller(BundleContext context, ConfigurationAdmin configAdmin, Path etc) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.etc = etc;
    }

    static boolean isManaged(Bundle bundle) {
        return bundle.getLocation().startsWith(LOCATION_PREFIX);
    }

    /** A bundle entry found: an installed bundle, or an artifact still to be installed. */
    private record Found(BundleSpec spec, Bundle installed, Path artifact, String symbolicName, Version version) {
    }

    /**
     * @return the installed feature (its bundles in the feature's order)
     * @throws FeatureException when a bundle is missing, does not resolve or does not start; nothing changed then
     */
    Installed install(FeatureSpec feature, Repository repository, String origin) throws FeatureException {
        return install(feature, repository, origin, null, false);
    }

    /**
     * @param hints the features of the repository that would provide what is missing (none when null)
     * @param again the same feature text was installed before (a restart installs it again): configurations that
     *     exist are kept ({@link ConfigChanges})
     */
    Installed install(FeatureSpec feature, Repository repository, String origin, FeatureHints hints, boolean again)
            throws FeatureException {
        String what = "Feature " + feature.id();
        List<Found> found = find(feature, repository, what);
        List<Bundle> added = new ArrayList<>();
        ConfigChanges configs = new ConfigChanges(configAdmin, etc);
        try {
            List<Bundle> all = new ArrayList<>();
            for (Found f : found) {
                Bundle b = f.installed();
                if (b == null) {
                    b = installArtifact(f, what);
                    added.add(b);
                }
                all.add(b);
            }
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
            if (!wiring.resolveBundles(all)) {
                throw new FeatureException(what + " refused, nothing changed: " + Diagnosis.unresolved(wiring, all, added,
                        missing -> hints == null ? List.of() : hints.suggest(missing, feature.key())));
            }
            for (ConfigSpec c : feature.configurations()) {
                configs.apply(c, again);
            }
            for (Bundle b : startOrder(found, all)) {
                try {
                    b.start();
                } catch (BundleException | RuntimeException e) {
                    throw new FeatureException(what + " refused, nothing changed: bundle " + b.getSymbolicName() + " "
                            + b.getVersion() + " does not start: " + e.getMessage(), e);
                }
            }
            return new Installed(feature, all, origin);
        } catch (FeatureException | RuntimeException e) {
            uninstall(added);
            configs.undo();
            throw e;
        }
    }

    private List<Found> find(FeatureSpec feature, Repository repository, String what) throws FeatureException {
        List<Found> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (BundleSpec spec : feature.bundles()) {
            try {
                found.add(find(spec, repository));
            } catch (FeatureException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new FeatureException(what + " refused, nothing changed: " + String.join("; ", problems));
        }
        return found;
    }

    private Found find(BundleSpec spec, Repository repository) throws FeatureException {
        ID id = spec.id();
        var artifact = repository.find(id);
        if (artifact.isPresent()) {
            Manifest manifest;
            try (JarFile jar = new JarFile(artifact.get().toFile())) {
                manifest = jar.getManifest();
            } catch (IOException e) {
                throw new FeatureException("bundle " + id + ": cannot read " + artifact.get() + ": " + e.getMessage());
            }
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                throw new FeatureException("bundle " + id + ": " + artifact.get() + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            bsn = bsn.split(";")[0].trim();
            Version version;
            try {
                version = Version.parseVersion(manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
            } catch (IllegalArgumentException e) {
                throw new FeatureException("bundle " + id + ": " + artifact.get() + " has a bad Bundle-Version: " + e.getMessage());
            }
            for (Bundle b : context.getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
                    return new Found(spec, b, artifact.get(), bsn, version);
                }
            }
            return new Found(spec, null, artifact.get(), bsn, version);
        }
        Bundle installed = installedMatch(id);
        if (installed == null) {
            throw new FeatureException("bundle " + id + " is neither installed nor in the repository (looked for "
                    + repository.describe(id) + ")");
        }
        return new Found(spec, installed, null, installed.getSymbolicName(), installed.getVersion());
    }

    /**
     * A bundle with no artifact in the repository may be one the gateway already runs: its symbolic name is the
     * artifactId (or groupId.artifactId), and its major.minor.micro version equals the Maven version's (a Maven
     * SNAPSHOT becomes a timestamp qualifier in the bundle, so qualifiers are not compared).
     */
    private Bundle installedMatch(ID id) {
        Version wanted = baseVersion(id.getVersion());
        if (wanted == null) {
            return null;
        }
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if ((id.getArtifactId().equals(bsn) || (id.getGroupId() + "." + id.getArtifactId()).equals(bsn))
                    && wanted.equals(new Version(b.getVersion().getMajor(), b.getVersion().getMinor(), b.getVersion().getMicro()))) {
                return b;
            }
        }
        return null;
    }

    /** @return major.minor.micro of a Maven version such as {@code 1.2}, {@code 0.1.0-SNAPSHOT}, or null */
    static Version baseVersion(String maven) {
        String[] parts = maven.split("[.-]");
        int[] numbers = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                if (i == 0) {
                    return null;
                }
                break;
            }
        }
        return new Version(numbers[0], numbers[1], numbers[2]);
    }

    private Bundle installArtifact(Found f, String what) throws FeatureException {
        String location = LOCATION_PREFIX + f.artifact().toUri();
        try (InputStream in = Files.newInputStream(f.artifact())) {
            return context.installBundle(location, in);
        } catch (IOException | BundleException e) {
            throw new FeatureException(what + " refused, nothing changed: bundle " + f.spec().id() + " cannot be installed from "
                    + f.artifact() + ": " + e.getMessage(), e);
        }
    }

    /** @return the bundles this call installed that can be started, by start-order (none last), then file order */
    private static List<Bundle> startOrder(List<Found> found, List<Bundle> all) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).installed() == null) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparing((Integer i) -> {
            Integer start = found.get(i).spec().startOrder();
            return start == null ? Integer.MAX_VALUE : start;
        }).thenComparing(i -> i));
        List<Bundle> result = new ArrayList<>();
        for (int i : order) {
            Bundle b = all.get(i);
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision == null || (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                result.add(b);
            }
        }
        return result;
    }

    /**
     * Stops (in reverse order) and uninstalls the bundles, then refreshes them so that no revision of them stays
     * behind, and waits for the refresh (at most {@value #REFRESH_TIMEOUT_S} s).
     *
     * @return problems met, or an empty list
     */
    List<String> uninstall(Collection<Bundle> bundles) {
        List<String> problems = new ArrayList<>();
        if (bundles.isEmpty()) {
            return problems;
        }
        List<Bundle> reversed = new ArrayList<>(bundles);
        java.util.Collections.reverse(reversed);
        for (Bundle b : reversed) {
            try {
                if (b.getState() != Bundle.UNINSTALLED) {
                    b.uninstall(); // stops it first
                }
            } catch (BundleException | RuntimeException e) {
                problems.add(b.getSymbolicName() + ": " + e.getMessage());
            }
        }
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
        CountDownLatch refreshed = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> refreshed.countDown());
        try {
            if (!refreshed.await(REFRESH_TIMEOUT_S, TimeUnit.SECONDS)) {
                problems.add("the refresh after uninstalling took longer than " + REFRESH_TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while waiting for the refresh");
        }
        return problems;
    }
}
