package org.edgeha.features.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Says why a bundle dropped into {@code deploy/} does not start: one ERROR line with every requirement no installed
 * bundle provides (the features' {@link Diagnosis}), once for each set of missing requirements. FileInstall reported
 * one missing requirement at a time, each with a stack trace (issue 14); its own warnings are off below ERROR
 * ({@code felix.fileinstall.log.level=1} in the distro).
 *
 * <p>FileInstall starts a new bundle right after installing it; this looks a moment later, on its own thread
 * ({@code edgeha-deploy-check}), at every {@code deploy/} bundle that is still only INSTALLED.
 */
@Component(immediate = true)
public class DeployDiagnosis implements BundleListener {

    /** How long after a bundle event the deploy/ bundles are looked at: FileInstall's start comes first. */
    static final long CHECK_DELAY_MS = 1_500;

    private final BundleContext context;
    private final Logger log;
    private final Path deploy;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edgeha-deploy-check");
        t.setDaemon(true);
        return t;
    });
    /** Whether a check is scheduled: the bundle events of one start (dozens) or one refresh share one check. */
    private final java.util.concurrent.atomic.AtomicBoolean checkPending = new java.util.concurrent.atomic.AtomicBoolean();
    /** Location → what was said last about it, so that each state is said once. */
    private final Map<String, String> said = new ConcurrentHashMap<>();

    @Activate
    public DeployDiagnosis(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        this.deploy = GatewaySettings.from(context::getProperty).deploy().toAbsolutePath().normalize();
        context.addBundleListener(this);
        scheduleCheck(); // bundles deployed before we came
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        checker.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.INSTALLED || type == BundleEvent.UPDATED || type == BundleEvent.UNINSTALLED
                || type == BundleEvent.RESOLVED) {
            scheduleCheck();
        }
    }

    private void scheduleCheck() {
        if (checkPending.compareAndSet(false, true)) {
            try {
                checker.schedule(this::check, CHECK_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                checkPending.set(false); // deactivated meanwhile
            }
        }
    }

    private void check() {
        checkPending.set(false); // an event from here on schedules the next look
        try {
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            said.keySet().removeIf(location -> context.getBundle(location) == null); // gone: forget it
            for (Bundle b : context.getBundles()) {
                String file = deployedFile(b.getLocation());
                if (file == null) {
                    continue;
                }
                if (b.getState() != Bundle.INSTALLED) {
                    said.remove(b.getLocation()); // resolved now: a later failure is news again
                    continue;
                }
                List<String> missing = Diagnosis.missingRequirements(wiring, b);
                String reason = missing.isEmpty()
                        ? "it does not resolve (every requirement has a provider: a conflict; see 'start " + b.getBundleId() + "', which prints the resolver's reason)"
                        : "missing requirement " + String.join(", missing requirement ", missing);
                if (!reason.equals(said.put(b.getLocation(), reason))) {
                    log.error("deploy/{} ({} {}) does not start: {}", file, b.getSymbolicName(), b.getVersion(), reason);
                }
            }
        } catch (RuntimeException e) { // e.g. the framework stopping under us: nothing to report then
            log.debug("Checking the deploy/ bundles failed: {}", e.toString());
        }
    }

    /** @return the file name when the location is a file directly in deploy/ (how FileInstall installs), else null */
    private String deployedFile(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path path = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return deploy.equals(path.getParent()) ? path.getFileName().toString() : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
