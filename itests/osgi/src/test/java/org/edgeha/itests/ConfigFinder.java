package org.edgeha.itests;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Reads a configuration's property without creating the configuration. */
final class ConfigFinder {

    private ConfigFinder() {
    }

    static Object value(ConfigurationAdmin configAdmin, String pid, String key) throws Exception {
        Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
        return found == null ? null : found[0].getProperties().get(key);
    }
}
