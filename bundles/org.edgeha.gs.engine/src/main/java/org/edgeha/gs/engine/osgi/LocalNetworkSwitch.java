package org.edgeha.gs.engine.osgi;

import java.util.List;

import org.edgeha.gs.spi.GsTransport;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Enables {@link LocalNetworkTransport} only while no other installed bundle declares that it offers a
 * {@link GsTransport} service (the {@code osgi.service} capability bnd writes for a DS component). The engine
 * needs a transport; without this, it started on the in-memory network at every gateway start (the engine's
 * bundle starts before the MQTT transport's) and then a second time on MQTT.
 *
 * <p>A declared transport whose bundle is installed but never starts (or whose component stays unsatisfied)
 * leaves Group Services unavailable rather than silently confined to this gateway; the gateway's readiness
 * report names the engine as waiting. Bundle events arrive on the framework's threads; the decision is
 * synchronised.
 */
@Component(immediate = true)
public final class LocalNetworkSwitch implements SynchronousBundleListener {

    private static final String TRANSPORT = GsTransport.class.getName();

    private final ComponentContext context;
    private final BundleContext bundles;
    private Boolean enabled; // guarded by this; null until the first decision

    @Activate
    public LocalNetworkSwitch(ComponentContext context) {
        this.context = context;
        this.bundles = context.getBundleContext();
        bundles.addBundleListener(this);
        decide();
    }

    @Deactivate
    void deactivate() {
        bundles.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UNINSTALLED, BundleEvent.UPDATED -> decide();
            default -> { }
        }
    }

    private synchronized void decide() {
        boolean local = !anotherTransportInstalled();
        if (enabled != null && enabled == local) {
            return;
        }
        enabled = local;
        if (local) {
            context.enableComponent(LocalNetworkTransport.NAME);
        } else {
            context.disableComponent(LocalNetworkTransport.NAME);
        }
    }

    private boolean anotherTransportInstalled() {
        Bundle self = bundles.getBundle();
        for (Bundle b : bundles.getBundles()) {
            if (b.getBundleId() == self.getBundleId() || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities("osgi.service")) {
                Object classes = c.getAttributes().get("objectClass");
                if (classes instanceof List<?> list ? list.contains(TRANSPORT) : TRANSPORT.equals(classes)) {
                    return true;
                }
            }
        }
        return false;
    }
}
