package org.edgeha.features.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Files in {@code deploy/} that are neither an OSGi bundle nor a feature file: FileInstall ignored them without a
 * word (a corrupt jar, a plain library jar, a README), so an operator waited for a bundle that never came (issue 14).
 * This installer claims exactly those files and says once, by name, why nothing happens; a bundle and a feature file
 * are left to FileInstall and {@link DeployedFeatures}. Hidden files (editors' temporary files) and folders are left
 * alone.
 *
 * <p>Called on FileInstall's watcher thread; reads at most the jar's manifest.
 */
@Component(service = ArtifactInstaller.class)
public class DeployedOtherFiles implements ArtifactInstaller {

    private final Logger log;
    private final Path deploy;

    @Activate
    public DeployedOtherFiles(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.deploy = GatewaySettings.from(context::getProperty).deploy().toAbsolutePath().normalize();
    }

    @Override
    public boolean canHandle(File artifact) {
        Path path = artifact.toPath().toAbsolutePath().normalize();
        return deploy.equals(path.getParent()) && artifact.isFile() && !artifact.getName().startsWith(".")
                && !artifact.getName().endsWith(".json") && whyNotABundle(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        log.warn("deploy/{} ignored: {}; deploy/ takes OSGi bundles (.jar) and feature files (.json)", artifact.getName(),
                whyNotABundle(artifact));
    }

    @Override
    public void update(File artifact) {
        install(artifact); // changed, and still not a bundle: say it again, once for this change
    }

    @Override
    public void uninstall(File artifact) {
        log.debug("deploy/{} removed (it was ignored)", artifact.getName());
    }

    /** @return why the file is not an OSGi bundle, or {@code null} when it is one */
    static String whyNotABundle(File file) {
        if (!file.getName().endsWith(".jar")) {
            return "it is neither a bundle (.jar) nor a feature file (.json)";
        }
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "a jar without a manifest is not an OSGi bundle";
            }
            String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null || bsn.isBlank()
                    ? "a plain jar, not an OSGi bundle (its manifest has no Bundle-SymbolicName): wrap it as a bundle "
                            + "or use a bundle of the library"
                    : null;
        } catch (ZipException e) {
            return "not a jar: it cannot be read as a zip file (" + e.getMessage() + "); was it copied completely?";
        } catch (IOException | SecurityException e) {
            return "it cannot be read (" + e + ")";
        }
    }
}
