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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Calls {@code onReady} once, when every start-up bundle is ACTIVE and their Declarative Services components
 * have settled: none is waiting for a mandatory reference, in two checks {@link #SETTLE_POLL_MS} apart (a
 * component that rebinds, e.g. Group Services moving onto the MQTT transport, is briefly unsatisfied, and its
 * shell commands missing). Such a rebind runs on the thread that registers the new service, so it has ended
 * or shows as unsatisfied by the time the last bundle is ACTIVE; the second check is a safety margin, kept short
 * because every millisecond of it delays the ready line. Components are waited for at most {@link #SETTLE_LIMIT_MS} after the bundles are
 * active: then the gateway is ready anyway, and {@code onWaiting} names those still waiting (a bad
 * configuration must not hide the ready line). Bundles dropped into {@code deploy/} are not start-up bundles:
 * a broken one must not keep the gateway from being ready. If the gateway is still not ready after
 * {@link #SLOW_START_SECONDS}, {@code onSlow} is told which bundles are missing, once.
 */
final class ReadinessWatch implements SynchronousBundleListener, AutoCloseable {

    static final long SLOW_START_SECONDS = 30;
    static final long SETTLE_POLL_MS = 20;
    static final long SETTLE_LIMIT_MS = 5_000;

    private final BundleContext context;
    private final String deployLocationPrefix;
    private final Runnable onReady;
    private final Consumer<String> onSlow;
    private final Consumer<String> onWaiting;
    private long bundlesActiveSince = -1;
    private boolean settledOnce;
    private boolean polling;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edgeha-readiness");
        t.setDaemon(true);
        return t;
    });

    ReadinessWatch(BundleContext context, Path deployFolder, Runnable onReady, Consumer<String> onSlow,
            Consumer<String> onWaiting) {
        this.context = context;
        this.deployLocationPrefix = deployFolder.toUri().toString();
        this.onReady = onReady;
        this.onSlow = onSlow;
        this.onWaiting = onWaiting;
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

    /** Runs a task on the watch's own thread, which is idle while the bundles start (work done ahead of time). */
    void runOffStartupThread(Runnable task) {
        timer.execute(task);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED && !ready.get()) {
            timer.execute(this::check);
        }
    }

    /** On the timer thread only: a bundle event's check while the settle poll runs is left to the poll. */
    private void check() {
        if (!polling) {
            poll();
        }
    }

    private void poll() {
        polling = false;
        if (ready.get() || !notActive().isEmpty()) {
            return; // the next STARTED event checks again
        }
        long now = System.nanoTime();
        if (bundlesActiveSince < 0) {
            bundlesActiveSince = now;
        }
        String waiting = componentsWaiting();
        boolean settled = waiting.isEmpty() && settledOnce;
        settledOnce = waiting.isEmpty();
        boolean overdue = now - bundlesActiveSince > TimeUnit.MILLISECONDS.toNanos(SETTLE_LIMIT_MS);
        if ((settled || overdue) && ready.compareAndSet(false, true)) {
            context.removeBundleListener(this);
            if (!waiting.isEmpty()) {
                onWaiting.accept(waiting);
            }
            onReady.run();
        } else if (!ready.get()) {
            polling = true;
            timer.schedule(this::poll, SETTLE_POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @return the components of start-up bundles that wait for a mandatory reference, with what they wait for,
     *     or "" when none (components that need a configuration they do not have are not waiting: they are off)
     */
    String componentsWaiting() {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = ref == null ? null : context.getService(ref);
        if (scr == null) {
            return "";
        }
        try {
            StringJoiner waiting = new StringJoiner(", ");
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                Bundle bundle = context.getBundle(d.bundle.id);
                if (bundle == null || !isStartupBundle(bundle) || !scr.isComponentEnabled(d)) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        StringJoiner refs = new StringJoiner(", ");
                        for (var u : c.unsatisfiedReferences) {
                            refs.add(u.name + (u.target == null ? "" : " " + u.target));
                        }
                        waiting.add(d.name + " (waits for " + refs + ")");
                    }
                }
            }
            return waiting.toString();
        } finally {
            context.ungetService(ref);
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
                return "INSTALLED: unresolved; 'start <id>' prints the resolver's reason";
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
