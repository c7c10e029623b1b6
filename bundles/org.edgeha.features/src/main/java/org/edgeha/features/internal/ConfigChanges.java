package org.edgeha.features.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.reader.ConfigSpec;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Pushes a feature's configurations to ConfigAdmin and remembers what was there before, so that a failed install
 * can put every configuration back ({@link #undo()}). Configurations are bound to no bundle ({@code "?"}): any
 * bundle may consume them, as with FileInstall's. Not thread-safe.
 */
final class ConfigChanges {

    private record Before(String pid, Dictionary<String, Object> properties) {
    }

    private final ConfigurationAdmin configAdmin;
    private final List<Before> journal = new ArrayList<>();

    ConfigChanges(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    void apply(ConfigSpec spec) throws FeatureException {
        try {
            Configuration existing = find(configAdmin, spec.pid());
            journal.add(new Before(spec.pid(), existing == null ? null : existing.getProperties()));
            Configuration target = existing != null ? existing
                    : spec.factoryPid() != null ? configAdmin.getFactoryConfiguration(spec.factoryPid(), spec.name(), "?")
                    : configAdmin.getConfiguration(spec.pid(), "?");
            target.updateIfDifferent(toDictionary(spec.values()));
        } catch (IOException | RuntimeException e) {
            throw new FeatureException("configuration " + spec.pid() + " cannot be set: " + e.getMessage(), e);
        }
    }

    /** Puts back every configuration {@link #apply} changed, newest first; problems are ignored (best effort). */
    void undo() {
        for (int i = journal.size() - 1; i >= 0; i--) {
            Before before = journal.get(i);
            try {
                Configuration c = find(configAdmin, before.pid());
                if (c != null && before.properties() == null) {
                    c.delete();
                } else if (c != null) {
                    c.update(before.properties());
                }
            } catch (IOException | RuntimeException e) {
                // best effort: the install is failing already and says why
            }
        }
        journal.clear();
    }

    /** Deletes the configuration, if it exists. */
    static void delete(ConfigurationAdmin configAdmin, String pid) throws IOException {
        Configuration c = find(configAdmin, pid);
        if (c != null) {
            c.delete();
        }
    }

    /** @return the configuration with this PID ({@code factoryPid~name} for a factory one), or null; never creates */
    static Configuration find(ConfigurationAdmin configAdmin, String pid) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad PID " + pid, e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    private static Dictionary<String, Object> toDictionary(Map<String, Object> values) {
        Hashtable<String, Object> properties = new Hashtable<>();
        values.forEach((k, v) -> {
            if (v != null) {
                properties.put(k, v);
            }
        });
        return properties;
    }
}
