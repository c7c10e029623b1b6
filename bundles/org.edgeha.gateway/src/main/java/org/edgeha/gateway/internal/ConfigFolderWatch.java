package org.edgeha.gateway.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.edgeha.gateway.api.Gateway;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Asks FileInstall to watch {@code ${edgeha.home}/etc} for configuration files ({@code .cfg},
 * {@code .config}, {@code .json}). The launcher points FileInstall's main folder at {@code deploy/};
 * a second folder needs a FileInstall factory configuration, which this component writes. Without
 * FileInstall (Pax Exam, an embedder) the configuration simply has no reader.
 */
@Component(immediate = true)
public class ConfigFolderWatch {

    static final String FILEINSTALL_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String NAME = "edgeha-etc";

    @Activate
    public ConfigFolderWatch(@Reference Gateway gateway, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        // "?" binds the configuration to whichever bundle consumes it (FileInstall), not to us.
        Configuration watch = configAdmin.getFactoryConfiguration(FILEINSTALL_FACTORY_PID, NAME, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", gateway.settings().etc().toString());
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.filter", ".*\\.(cfg|config|json)");
        watch.updateIfDifferent(properties);
        log.info("Configuration folder {} is watched for .cfg, .config and .json files", gateway.settings().etc());
    }
}
