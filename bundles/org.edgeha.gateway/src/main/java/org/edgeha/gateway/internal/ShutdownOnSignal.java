package org.edgeha.gateway.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * Stops the framework (and so every bundle, in reverse start order) when the JVM exits: on SIGTERM
 * (which the launcher turns into exit status 0), SIGINT or {@code System.exit}.
 *
 * <p>Installed only when the gateway launcher started this framework: an embedding process (Pax Exam,
 * an application server) owns its own exit.
 */
final class ShutdownOnSignal extends Thread {

    /** Longest wait for the bundles to stop before the JVM exits anyway. */
    static final long STOP_TIMEOUT_MS = 30_000;

    private final Framework framework;
    /** The "stopping" line is printed once, whichever path stops the gateway first. */
    private static final java.util.concurrent.atomic.AtomicBoolean STOPPING_PRINTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Prints {@code EdgeHA gateway stopping} on standard output, once per JVM. */
    static void printStopping() {
        if (STOPPING_PRINTED.compareAndSet(false, true)) {
            System.out.println("EdgeHA gateway stopping");
            System.out.flush();
        }
    }

    private ShutdownOnSignal(Framework framework) {
        super("edgeha-shutdown");
        this.framework = framework;
    }

    static ShutdownOnSignal install(BundleContext context) {
        ShutdownOnSignal hook = new ShutdownOnSignal((Framework) context.getBundle(0));
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** @return {@code false} when the JVM is already exiting (this hook runs or ran) */
    boolean uninstall() {
        if (Thread.currentThread() == this) {
            return false;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(this);
            return true;
        } catch (IllegalStateException shutdownInProgress) {
            return false; // the JVM is already exiting and this hook runs: nothing to undo
        }
    }

    @Override
    public void run() {
        if ((framework.getState() & (Framework.STARTING | Framework.ACTIVE | Framework.STOPPING)) == 0) {
            return; // stopped already, nothing to wait for
        }
        printStopping();
        try {
            // Another exit hook (bnd's launcher) may have begun the stop: then we only wait for it.
            if ((framework.getState() & (Framework.STARTING | Framework.ACTIVE)) != 0) {
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("EdgeHA gateway: bundles did not stop within " + STOP_TIMEOUT_MS + " ms");
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            System.err.println("EdgeHA gateway: clean stop failed: " + e);
        }
        System.out.println("EdgeHA gateway stopped");
        System.out.flush();
    }
}
