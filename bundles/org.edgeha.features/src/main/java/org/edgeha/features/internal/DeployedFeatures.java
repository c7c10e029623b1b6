package org.edgeha.features.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Feature files ({@code *.json}) in {@code ${edgeha.home}/deploy/}, through FileInstall: a new file is
 * installed, a changed one updates its feature, a deleted one removes it. FileInstall offers every file of every
 * folder it watches (also {@code etc/}), so only files directly in {@code deploy/} are taken. A refused feature is
 * logged as an error with the reason and changes nothing; the file stays until it is replaced or deleted.
 *
 * <p>Called on FileInstall's watcher thread, which blocks while a feature installs. The import of FileInstall's
 * package is optional: without FileInstall nothing asks for this service, and its class is never loaded.
 */
@Component(service = ArtifactInstaller.class)
public class DeployedFeatures implements ArtifactInstaller {

    private final FeatureManager features;
    private final Logger log;
    private final Path deploy;

    @Activate
    public DeployedFeatures(BundleContext context, @Reference FeatureManager features,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.features = features;
        this.log = log;
        this.deploy = GatewaySettings.from(context::getProperty).deploy().toAbsolutePath().normalize();
    }

    @Override
    public boolean canHandle(File artifact) {
        Path path = artifact.toPath().toAbsolutePath().normalize();
        return artifact.getName().endsWith(".json") && deploy.equals(path.getParent());
    }

    @Override
    public void install(File artifact) {
        try {
            InstalledFeature f = features.install(artifact.toPath());
            log.info("Feature file {} installed as {}", artifact, f.id());
        } catch (FeatureException | RuntimeException e) {
            log.error("Feature file {} refused: {}", artifact, e.getMessage());
        }
    }

    @Override
    public void update(File artifact) {
        Optional<InstalledFeature> before = fromFile(artifact);
        try {
            InstalledFeature f = features.install(artifact.toPath());
            log.info("Feature file {} changed: {} installed", artifact, f.id());
            if (before.isPresent() && !sameKey(before.get().id(), f.id())) {
                features.remove(before.get().id()); // the file now names another feature
            }
        } catch (FeatureException | RuntimeException e) {
            log.error("Feature file {} changed but refused, {} stays as it was: {}", artifact,
                    before.map(InstalledFeature::id).orElse("nothing"), e.getMessage());
        }
    }

    @Override
    public void uninstall(File artifact) {
        Optional<InstalledFeature> installed = fromFile(artifact);
        if (installed.isEmpty()) {
            return; // it was refused when it came
        }
        try {
            features.remove(installed.get().id());
            log.info("Feature file {} deleted: {} removed", artifact, installed.get().id());
        } catch (FeatureException | RuntimeException e) {
            log.error("Feature file {} deleted, but {} could not be removed: {}", artifact, installed.get().id(),
                    e.getMessage());
        }
    }

    private Optional<InstalledFeature> fromFile(File artifact) {
        String origin = artifact.toPath().toAbsolutePath().normalize().toString();
        return features.list().stream().filter(f -> f.origin().equals(origin)).findFirst();
    }

    private static boolean sameKey(String id1, String id2) {
        String[] a = id1.split(":");
        String[] b = id2.split(":");
        return a[0].equals(b[0]) && a[1].equals(b[1]);
    }
}
