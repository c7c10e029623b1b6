package org.edgeha.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The footprint scenario's floor, run as a child JVM by {@link FootprintBenchmarks}: a plain Felix framework with
 * the bundles given (SCR and what it needs), nothing else. {@code java -cp felix.jar:classes
 * org.edgeha.benchmarks.FelixFloor CACHE BUNDLE.jar...} cleans the cache, installs and starts every bundle, prints
 * {@value #READY} with the JVM's uptime once all are ACTIVE, and runs until it is stopped (SIGTERM).
 */
public final class FelixFloor {

    static final String READY = "Felix floor ready:";

    private FelixFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FelixFloor CACHE_DIR BUNDLE.jar...");
            System.exit(2);
        }
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, args[0]);
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.init();
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            bundles.add(framework.getBundleContext().installBundle(new File(args[i]).toURI().toString()));
        }
        framework.start();
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && bundle.getState() != Bundle.ACTIVE) {
                System.err.println("FelixFloor: " + bundle.getSymbolicName() + " is not active: " + bundle.getState());
                System.exit(1);
            }
        }
        System.out.println(READY + " " + bundles.size() + " bundles ACTIVE, started in "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                framework.stop();
                framework.waitForStop(5_000);
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        framework.waitForStop(0);
    }
}
