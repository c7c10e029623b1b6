package org.edgeha.gateway.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The gateway itself: reads the settings, makes the home folders, prints the ready line once every
 * start-up bundle is active and, when started by the gateway launcher, stops the framework cleanly
 * on SIGTERM.
 */
@Component(immediate = true, service = Gateway.class)
public class GatewayRuntime implements Gateway {

    /** The line operators and scripts wait for; SPEC section 0 fixes its text. */
    static final String READY_TEXT = "EdgeHA gateway ready";

    /** Set by the launcher (not in Pax Exam or other embedders): only then do we own the JVM's exit. */
    static final String LAUNCHER_PROPERTY = "edgeha.launcher";

    /**
     * Set when the framework was stopped from inside ({@code stop 0} at the console) before the JVM began to
     * exit; the launcher then exits with status 0 instead of bnd's "framework stopped" (117).
     */
    static final String STOPPED_CLEANLY_PROPERTY = "edgeha.stopped.cleanly";
    /** Set once the gateway is ready; the launcher's start reserve (GatewayMain) waits for it. */
    static final String READY_PROPERTY = "edgeha.ready";

    private final Logger log;
    private final GatewaySettings settings;
    private final ReadinessWatch readiness;
    private final ShutdownOnSignal shutdown;
    /** In the bundle's data area, which lives as long as the framework cache: one gateway run. */
    private final Path readyMarker;
    /** This framework launch's UUID: the ready marker of an earlier launch (a kept cache) does not count. */
    private final String frameworkLaunch;
    private volatile long startupMillis = -1;
    private final String defaultsTaken;

    /**
     * @return which essentials nobody set, or "": a gateway on the default node, domain or broker is worth one line.
     *     Logged with the ready line: logged at activation, it was lost from Felix Log's short history before the log
     *     file read it.
     */
    private String defaultsTaken(BundleContext context) {
        List<String> defaults = new ArrayList<>();
        if (context.getProperty(GatewaySettings.NODE) == null) {
            defaults.add("node " + settings.node());
        }
        if (context.getProperty(GatewaySettings.DOMAIN) == null) {
            defaults.add("domain " + settings.domain());
        }
        if (context.getProperty(GatewaySettings.BROKER) == null) {
            defaults.add("broker " + settings.broker());
        }
        return String.join(", ", defaults);
    }

    @Activate
    public GatewayRuntime(BundleContext context, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.log = log;
        this.settings = GatewaySettings.from(context::getProperty);
        this.defaultsTaken = defaultsTaken(context);
        for (Path folder : new Path[] {settings.etc(), settings.deploy()}) {
            Files.createDirectories(folder);
        }
        // data/ holds the store, the log and the framework cache: nobody but the gateway's user may look inside.
        // The framework writes its cache with the process's umask; the folder is made owner-only once it exists.
        try {
            OwnerOnly.directories(settings.data());
            OwnerOnly.restrict(settings.data().resolve("felix-cache"));
        } catch (IOException e) {
            Files.createDirectories(settings.data());
            log.warn("{} cannot be made owner-only (rwx------): {}", settings.data(), e.toString());
        }
        this.readiness = new ReadinessWatch(context, settings.deploy(), this::onReady, this::onSlowStart,
                waiting -> log.warn("Ready, but these components still wait for a service: {}", waiting));
        this.shutdown = Boolean.parseBoolean(context.getProperty(LAUNCHER_PROPERTY))
                ? ShutdownOnSignal.install(context)
                : null;
        if (shutdown != null) {
            // A stop from inside (stop 0 at the console, the console's end of input, a bundle stopping bundle 0) says
            // "stopping" as SIGTERM does; the launcher prints "stopped" once the framework is down.
            context.addBundleListener(stopFromInside);
        }
        this.readyMarker = context.getDataFile("ready-millis").toPath();
        this.frameworkLaunch = context.getProperty(Constants.FRAMEWORK_UUID);
        long readyBefore = readMarker(readyMarker, frameworkLaunch);
        if (readyBefore >= 0) {
            // This bundle was refreshed or updated in a running gateway: it was ready already, and the
            // ready line means "the gateway has started", so it is not printed again.
            startupMillis = readyBefore;
            log.info("Gateway runtime restarted; the gateway has been ready since start-up ({} ms)", readyBefore);
        } else {
            readiness.start();
            // The ready line reads the JVM's uptime from the management API, whose first use loads some forty
            // classes: load them now, off the start-up thread, rather than just before the line is printed.
            readiness.runOffStartupThread(ManagementFactory::getRuntimeMXBean);
        }
    }

    /**
     * @return the start-up millis stored when the gateway first became ready in this framework launch, or -1. The
     *         marker names the launch (the framework's UUID, new at every framework start): a bundle cache kept from
     *         an earlier run holds that run's marker, which must not pass for "ready already".
     */
    private static long readMarker(Path marker, String launch) {
        try {
            if (!Files.exists(marker)) {
                return -1;
            }
            String[] parts = Files.readString(marker).trim().split(" ");
            return parts.length == 2 && parts[0].equals(launch) ? Long.parseLong(parts[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private final org.osgi.framework.SynchronousBundleListener stopFromInside = event -> {
        if (event.getBundle().getBundleId() == 0 && event.getType() == org.osgi.framework.BundleEvent.STOPPING) {
            ShutdownOnSignal.printStopping();
        }
    };

    @Deactivate
    void deactivate(BundleContext context) {
        readiness.close();
        context.removeBundleListener(stopFromInside);
        if (shutdown != null && shutdown.uninstall()
                && context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING) {
            System.setProperty(STOPPED_CLEANLY_PROPERTY, "true");
        }
    }

    private void onReady() {
        // The JVM's own start time: ProcessHandle's start instant is derived from the boot time in
        // whole seconds and can be off by up to a second.
        long millis = ManagementFactory.getRuntimeMXBean().getUptime();
        // stdout on purpose: the ready line is the contract with scripts and service managers.
        System.out.println(READY_TEXT + ": node " + settings.node() + ", domain " + settings.domain()
                + ", started in " + millis + " ms (home " + settings.home() + ")");
        System.out.flush();
        // isReady() only once the line is out: the console (org.edgeha.console) prints its prompt after it
        startupMillis = millis;
        System.setProperty(READY_PROPERTY, "true");
        if (!defaultsTaken.isEmpty()) {
            log.info("Taken from defaults (not set): {}", defaultsTaken);
        }
        log.info("Gateway ready in {} ms: {}", startupMillis, settings);
        try {
            Files.writeString(readyMarker, frameworkLaunch + " " + startupMillis);
        } catch (IOException e) {
            log.warn("Cannot record readiness in {}: {}", readyMarker, e.toString());
        }
    }

    private void onSlowStart(String notActive) {
        log.warn("Gateway not ready yet; bundles not active: {}", notActive);
        System.err.println("EdgeHA gateway NOT ready yet; bundles not active: " + notActive);
    }

    @Override
    public GatewaySettings settings() {
        return settings;
    }

    @Override
    public boolean isReady() {
        return startupMillis >= 0;
    }

    @Override
    public long startupMillis() {
        return startupMillis;
    }
}
