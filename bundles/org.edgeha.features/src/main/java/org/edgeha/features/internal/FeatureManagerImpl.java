package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.edgeha.features.api.KnownFeature;
import org.edgeha.features.reader.ConfigSpec;
import org.edgeha.features.reader.FeatureFile;
import org.edgeha.features.reader.FeatureSpec;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link FeatureManager}: features installed at run time, their records under
 * {@code ${edgeha.home}/data/features/}, and their installation again after a restart (on the thread
 * {@code edgeha-features-restore}, which takes the same lock as every operation).
 *
 * <p>Immediate, so that recorded features come back when the gateway starts.
 */
@Component(immediate = true, service = FeatureManager.class, configurationPid = FeaturesConfig.PID)
@Designate(ocd = FeaturesConfig.class)
public class FeatureManagerImpl implements FeatureManager {

    /** One operation at a time; guards {@link #installed} and {@link #records}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** By {@code groupId:artifactId}. */
    private final Map<String, Installed> installed = new TreeMap<>();

    private final BundleContext context;
    private final FeatureService featureService;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private final GatewaySettings settings;
    private final FeatureInstaller installer;
    private final FeatureRecords records;
    private final Thread restore;
    /** The texts of the features installed before this start: installed again unchanged, they keep configurations */
    private final java.util.Set<String> installedBeforeRestart = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Repository repository;
    private volatile boolean closed;

    @Activate
    public FeatureManagerImpl(BundleContext context, FeaturesConfig config, @Reference FeatureService featureService,
            @Reference ConfigurationAdmin configAdmin, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.featureService = featureService;
        this.configAdmin = configAdmin;
        this.log = log;
        this.settings = GatewaySettings.from(context::getProperty);
        this.installer = new FeatureInstaller(context, configAdmin, settings.etc());
        this.records = new FeatureRecords(settings.data().resolve("features"));
        this.repository = repository(config);
        List<FeatureRecords.Record> recorded;
        try {
            // before any install can record one, so that sequence numbers keep growing
            recorded = records.load(problem -> log.error("Installed feature record damaged: {}", problem));
        } catch (IOException e) {
            log.error("Cannot read the installed features from {}: {}", records.folder(), e.toString());
            recorded = List.of();
        }
        List<FeatureRecords.Record> toRestore = recorded;
        recorded.forEach(r -> installedBeforeRestart.add(r.text()));
        this.restore = new Thread(() -> restore(toRestore), "edgeha-features-restore");
        restore.setDaemon(true);
        restore.start();
    }

    /** @return the repository folders in use, searched in order (for feature:list's "available" features) */
    List<Path> repositoryRoots() {
        return repository.roots();
    }

    /** @return the gateway's home, against which feature:list shows repository paths */
    Path home() {
        return settings.home();
    }

    @Modified
    void modified(FeaturesConfig config) {
        repository = repository(config);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closed = true;
        restore.interrupt();
        restore.join(10_000);
    }

    /** Framework property set by the launcher: the distro's own repository folder, next to edgeha-gateway.jar. */
    static final String DISTRO_REPOSITORY = "edgeha.distro.repository";

    private Repository repository(FeaturesConfig config) {
        List<Path> roots = new ArrayList<>();
        for (String folder : config.repository()) {
            if (!folder.isBlank()) {
                roots.add(settings.home().resolve(folder.trim()));
            }
        }
        if (roots.isEmpty()) {
            roots.add(settings.home().resolve("repository"));
        }
        // The optional features the build put next to the gateway's jar (the launcher says where): searched last, so
        // that a stock gateway installs them by name (feature:install logging).
        String distro = context.getProperty(DISTRO_REPOSITORY);
        if (distro != null && !distro.isBlank() && !roots.contains(Path.of(distro))) {
            roots.add(Path.of(distro));
        }
        log.info("Features and their bundles come from {}", roots);
        return new Repository(roots);
    }

    @Override
    public InstalledFeature install(Path featureFile) throws FeatureException {
        Path file = featureFile.toAbsolutePath().normalize();
        return installText(read(file), file.getFileName().toString(), file.toString());
    }

    /** EdgeHA's features go by their name alone: {@code logging} is {@code org.edgeha:logging} at its newest version. */
    static final String EDGEHA_GROUP = "org.edgeha";

    @Override
    public InstalledFeature install(String idOrName) throws FeatureException {
        String name = idOrName.trim();
        String id = name.contains(":") || !name.matches("[A-Za-z0-9._-]+") ? name
                : repository.latestFeature(EDGEHA_GROUP, name).orElseThrow(() -> new FeatureException("no feature "
                        + EDGEHA_GROUP + ":" + name + " in the repository (looked in " + repository.roots() + ")"));
        ID parsed;
        try {
            parsed = featureService.getIDfromMavenCoordinates(id.trim());
        } catch (RuntimeException e) {
            throw new FeatureException("\"" + id + "\" is not a feature id groupId:artifactId:version");
        }
        Repository repo = repository;
        Path file = repo.findFeature(parsed).orElseThrow(() -> new FeatureException("no feature " + id
                + " in the repository (looked for " + Repository.path(repo.roots().get(0), parsed, "osgifeature")
                + " and .json)"));
        FeatureSpec spec = FeatureFile.read(read(file), file.toString(), featureService, context::getProperty);
        if (!spec.id().toString().equals(parsed.toString())) {
            throw new FeatureException(file + " holds feature " + spec.id() + ", not " + id);
        }
        return installText(spec.text(), file.getFileName().toString(), file.toString());
    }

    private static String read(Path file) throws FeatureException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FeatureException("cannot read feature file " + file + ": " + e);
        }
    }

    private InstalledFeature installText(String text, String source, String origin) throws FeatureException {
        lock.lock();
        try {
            FeatureSpec spec = FeatureFile.read(text, source, featureService, context::getProperty);
            Installed previous = installed.get(spec.key());
            if (previous != null && previous.spec().text().equals(text) && previous.bundles().stream()
                    .allMatch(b -> b.getState() != Bundle.UNINSTALLED)) {
                // The same feature again (a restart found it in deploy/ and in the records): only its origin may change.
                if (!previous.origin().equals(origin)) {
                    installed.put(spec.key(), new Installed(previous.spec(), previous.bundles(), origin));
                    save(spec, origin);
                }
                return installed.get(spec.key()).toApi();
            }
            boolean again = installedBeforeRestart.contains(text)
                    || previous != null && previous.spec().text().equals(text);
            Installed now = installer.install(spec, repository, origin, new FeatureHints(repository, featureService),
                    again);
            if (previous != null) {
                retire(previous, now);
            }
            installed.put(spec.key(), now);
            save(spec, origin);
            InstalledFeature result = now.toApi();
            log.info("Feature {} {} from {}: bundles {}, installed now {}, configurations {}", spec.id(),
                    previous == null ? "installed" : "updated (was " + previous.spec().id() + ")", origin,
                    result.bundles(), result.ownedBundles(), result.configurations());
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void save(FeatureSpec spec, String origin) {
        try {
            records.save(spec.key(), spec.text(), origin);
        } catch (IOException e) {
            log.warn("Feature {} is installed but not recorded in {}, so it will not come back after a restart: {}",
                    spec.id(), records.folder(), e.toString());
        }
    }

    @Override
    public InstalledFeature remove(String id) throws FeatureException {
        lock.lock();
        try {
            Installed feature = lookup(id).orElseThrow(() -> new FeatureException("no installed feature " + id
                    + " (feature:list shows them)"));
            installed.remove(feature.key());
            retire(feature, null);
            try {
                records.delete(feature.key());
            } catch (IOException e) {
                log.warn("Feature {} removed, but its record in {} could not be deleted: {}", feature.spec().id(),
                        records.folder(), e.toString());
            }
            log.info("Feature {} removed", feature.spec().id());
            return feature.toApi();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Uninstalls the managed bundles, then deletes the configurations, of {@code old} that neither {@code replacement}
     * nor another installed feature has. Under the lock; {@code old} is no longer in {@link #installed}, or is
     * replaced there right after.
     */
    private void retire(Installed old, Installed replacement) {
        Collection<Installed> others = new ArrayList<>(installed.values());
        others.remove(old);
        if (replacement != null) {
            others.add(replacement);
        }
        // Bundles first: a configuration deleted under a running bundle re-initialises it on its defaults while it is
        // being removed (Felix HTTP Jetty logged "Invalid BundleContext", issue 14)
        List<Bundle> unused = new ArrayList<>();
        for (Bundle b : old.bundles()) {
            if (FeatureInstaller.isManaged(b) && others.stream().noneMatch(f -> f.lists(b))) {
                unused.add(b);
            }
        }
        List<String> problems = installer.uninstall(unused);
        if (!problems.isEmpty()) {
            log.warn("Removing the bundles of feature {}: {}", old.spec().id(), problems);
        }
        for (ConfigSpec c : old.spec().configurations()) {
            if (others.stream().noneMatch(f -> f.configures(c.pid()))) {
                try {
                    ConfigChanges.delete(configAdmin, c.pid());
                } catch (IOException | RuntimeException e) {
                    log.warn("Configuration {} of feature {} could not be deleted: {}", c.pid(), old.spec().id(), e.toString());
                }
            }
        }
    }

    @Override
    public List<InstalledFeature> list() {
        lock.lock();
        try {
            return installed.values().stream().map(Installed::toApi).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<KnownFeature> known() {
        return FeatureCatalog.entries(context.getProperty(FeatureCatalog.BUILTIN_PROPERTY), list(), repositoryRoots(),
                home()).stream().map(e -> new KnownFeature(e.name() + ":" + e.version(), e.state(), e.detail())).toList();
    }

    @Override
    public Optional<InstalledFeature> find(String id) {
        lock.lock();
        try {
            return lookup(id).map(Installed::toApi);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: by full id, by {@code groupId:artifactId}, or by an artifactId only one feature has. */
    private Optional<Installed> lookup(String id) {
        String wanted = id.trim();
        List<Installed> byArtifact = new ArrayList<>();
        for (Installed f : installed.values()) {
            if (f.spec().id().toString().equals(wanted) || f.key().equals(wanted)) {
                return Optional.of(f);
            }
            if (f.spec().id().getArtifactId().equals(wanted)) {
                byArtifact.add(f);
            }
        }
        return byArtifact.size() == 1 ? Optional.of(byArtifact.get(0)) : Optional.empty();
    }

    /** Installs the recorded features again, in the order they were installed, retrying those that need later ones. */
    private void restore(List<FeatureRecords.Record> recorded) {
        List<FeatureRecords.Record> pending = new ArrayList<>(recorded);
        Map<String, String> failures = new TreeMap<>();
        boolean progress = true;
        while (!pending.isEmpty() && progress && !closed) {
            progress = false;
            for (Iterator<FeatureRecords.Record> it = pending.iterator(); it.hasNext() && !closed;) {
                FeatureRecords.Record r = it.next();
                try {
                    installText(r.text(), "the record " + r.file() + ".json", r.origin());
                    it.remove();
                    failures.remove(r.file());
                    progress = true;
                } catch (FeatureException | RuntimeException e) {
                    failures.put(r.file(), e.getMessage());
                }
            }
        }
        for (FeatureRecords.Record r : pending) {
            if (closed) {
                return;
            }
            log.error("Feature recorded as {} was installed before the restart but cannot be installed again, and is"
                    + " forgotten: {}", r.file(), failures.get(r.file()));
            lock.lock();
            try {
                records.deleteFile(r.file());
            } catch (IOException e) {
                log.warn("Cannot delete the record {}: {}", r.file(), e.toString());
            } finally {
                lock.unlock();
            }
        }
    }
}
