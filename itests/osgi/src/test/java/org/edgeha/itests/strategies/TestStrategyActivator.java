package org.edgeha.itests.strategies;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The activator of the strategy bundles that tests build and install at run time ({@code TestBundles}).
 * It registers a whiteboard recovery function for every connection, named and ranked by its bundle's
 * headers, that waits {@code X-Strategy-Delay-Ms} and then reconnects to the same endpoint.
 */
public class TestStrategyActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, String> headers = context.getBundle().getHeaders();
        long delay = Long.parseLong(headers.get("X-Strategy-Delay-Ms"));
        RecoveryFunction function = (coid, handle) -> {
            Thread.sleep(delay); // interruptible: a strategy that takes its time
            ServiceReference<HaConnections> ref = context.getServiceReference(HaConnections.class);
            HaConnections connections = context.getService(ref);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (true) {
                    try {
                        return connections.reconnect(coid, null, Duration.ofMillis(500));
                    } catch (java.io.IOException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(5);
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        };
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RecoveryFunction.CONNECTION_NAME, "*");
        properties.put(RecoveryFunction.STRATEGY, headers.get("X-Strategy-Name"));
        properties.put(Constants.SERVICE_RANKING, Integer.parseInt(headers.get("X-Strategy-Ranking")));
        context.registerService(RecoveryFunction.class, function, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
