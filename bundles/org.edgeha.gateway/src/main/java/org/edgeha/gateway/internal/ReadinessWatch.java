package org.edgeha.gateway.internal;

import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Calls {@code onReady} once, when every start-up bundle is ACTIVE. Bundles dropped into
 * {@code deploy/} are not start-up bundles: a broken one must not keep the gateway from being ready.
 * If the gateway is still not ready after {@link #SLOW_START_SECONDS}, {@code onSlow} is told which
 * bundles are missing, once.
 */
final class ReadinessWatch implements SynchronousBundleListener, AutoCloseable {

    static final long SLOW_START_SECONDS = 30;

    private final BundleContext context;
    private final String deployLocationPrefix;
    private final Runnable onReady;
    private final Consumer<String> onSlow;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edgeha-readiness");
        t.setDaemon(true);
        return t;
    });

    ReadinessWatch(BundleContext context, Path deployFolder, Runnable onReady, Consumer<String> onSlow) {
        this.context = context;
        this.deployLocationPrefix = deployFolder.toUri().toString();
        this.onReady = onReady;
        this.onSlow = onSlow;
    }

    void start() {
        context.addBundleListener(this);
        timer.schedule(() -> {
            String missing = notActive();
            if (!ready.get() && !missing.isEmpty()) {
                onSlow.accept(missing);
            }
        }, SLOW_START_SECONDS, TimeUnit.SECONDS);
        // Bundles started before we listened raise no event: check once now, off the activation thread.
        timer.execute(this::check);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED && !ready.get()) {
            timer.execute(this::check);
        }
    }

    private void check() {
        if (notActive().isEmpty() && ready.compareAndSet(false, true)) {
            context.removeBundleListener(this);
            onReady.run();
        }
    }

    /** @return the start-up bundles that are not ACTIVE, with their states, or "" when none */
    String notActive() {
        StringJoiner missing = new StringJoiner(", ");
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE && isStartupBundle(bundle)) {
                missing.add(bundle.getSymbolicName() + " (" + stateName(bundle.getState()) + ")");
            }
        }
        return missing.toString();
    }

    private boolean isStartupBundle(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        boolean fragment = revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
        String location = bundle.getLocation();
        return !fragment && (location == null || !location.startsWith(deployLocationPrefix));
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED:
                return "INSTALLED: unresolved, see its requirements with 'diag'";
            case Bundle.RESOLVED:
                return "RESOLVED: not started";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "state " + state;
        }
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
        timer.shutdownNow();
    }
}
