package org.edgeha.features.internal;

import java.util.ArrayList;
import java.util.List;

import org.edgeha.features.api.InstalledFeature;
import org.edgeha.features.reader.ConfigSpec;
import org.edgeha.features.reader.FeatureSpec;
import org.osgi.framework.Bundle;

/**
 * A feature installed on this gateway: its spec, the framework bundles that make it up (in the feature's
 * order) and where it came from. Immutable.
 */
record Installed(FeatureSpec spec, List<Bundle> bundles, String origin) {

    Installed {
        bundles = List.copyOf(bundles);
    }

    String key() {
        return spec.key();
    }

    /** @return whether this feature lists the bundle */
    boolean lists(Bundle bundle) {
        return bundles.contains(bundle);
    }

    /** @return whether this feature configures the PID ({@code factoryPid~name} for factory configurations) */
    boolean configures(String pid) {
        return spec.configurations().stream().anyMatch(c -> c.pid().equals(pid));
    }

    InstalledFeature toApi() {
        List<String> all = new ArrayList<>();
        List<String> owned = new ArrayList<>();
        for (Bundle b : bundles) {
            String text = b.getSymbolicName() + " " + b.getVersion();
            all.add(text);
            if (FeatureInstaller.isManaged(b)) {
                owned.add(text);
            }
        }
        List<String> pids = spec.configurations().stream().map(ConfigSpec::pid).toList();
        return new InstalledFeature(spec.id().toString(), spec.name(), all, owned, pids, origin);
    }
}
