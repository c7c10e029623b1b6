package org.edgeha.itests.providers;

import java.util.Hashtable;

import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsWhiteboard;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the provider bundles tests build and install at run time ({@code TestBundles}): it
 * registers a whiteboard {@link GroupProvider} for the group named by the bundle's {@code X-Group} header,
 * approving every vote.
 */
public class TestProviderActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(GsWhiteboard.GROUP_NAME, context.getBundle().getHeaders().get("X-Group"));
        properties.put(GsWhiteboard.INSTANCE, 1);
        context.registerService(GroupProvider.class, new ApprovingProvider(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service; the engine then removes the provider
    }
}
