package org.edgeha.features.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>A feature installed again unchanged (at every restart, from its record or from {@code deploy/}) keeps the
 * configurations that exist, in ConfigAdmin or as a file in {@code etc/}: they are the operator's, changed at run time
 * and written back to {@code etc/}; a feature's configuration is its initial value (as in Karaf). An install of a
 * new or changed feature sets them.
 */
final class ConfigChanges {

    private record Before(String pid, Dictionary<String, Object> properties) {
    }

    private final ConfigurationAdmin configAdmin;
    private final Path etc;
    private final List<Before> journal = new ArrayList<>();

    /** @param etc the folder of configuration files ({@code ${edgeha.home}/etc}) */
    ConfigChanges(ConfigurationAdmin configAdmin, Path etc) {
        this.configAdmin = configAdmin;
        this.etc = etc;
    }

    /**
     * Sets a feature's configuration.
     *
     * @param keepExisting the feature is installed again unchanged: a configuration that exists is left as it is
     * @return false when it was kept
     */
    boolean apply(ConfigSpec spec, boolean keepExisting) throws FeatureException {
        try {
            Configuration existing = find(configAdmin, spec.pid());
            // FileInstall may not have read etc/ yet at a restart: its file counts as the configuration
            if (keepExisting && (existing != null || hasFile(spec))) {
                return false;
            }
            journal.add(new Before(spec.pid(), existing == null ? null : existing.getProperties()));
            Configuration target = existing != null ? existing
                    : spec.factoryPid() != null ? configAdmin.getFactoryConfiguration(spec.factoryPid(), spec.name(), "?")
                    : configAdmin.getConfiguration(spec.pid(), "?");
            target.updateIfDifferent(toDictionary(spec.values()));
            return true;
        } catch (IOException | RuntimeException e) {
            throw new FeatureException("configuration " + spec.pid() + " cannot be set: " + e.getMessage(), e);
        }
    }

    /** @return whether {@code etc/} holds the configuration's file (as FileInstall and the write-back name it) */
    private boolean hasFile(ConfigSpec spec) {
        if (etc == null) {
            return false;
        }
        List<String> names = spec.factoryPid() == null ? List.of(spec.pid() + ".cfg", spec.pid() + ".config")
                : List.of(spec.factoryPid() + "-" + spec.name() + ".cfg", spec.factoryPid() + "~" + spec.name() + ".cfg",
                        spec.factoryPid() + "-" + spec.name() + ".config");
        return names.stream().anyMatch(n -> Files.isRegularFile(etc.resolve(n)));
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
