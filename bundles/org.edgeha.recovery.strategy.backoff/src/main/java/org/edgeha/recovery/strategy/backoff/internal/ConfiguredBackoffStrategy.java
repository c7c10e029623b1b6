package org.edgeha.recovery.strategy.backoff.internal;

import java.util.Map;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunctionProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One instance per factory configuration of {@value BackoffStrategy#FACTORY_PID}, for example
 * {@code etc/org.edgeha.recovery.strategy.backoff-plc.cfg}. Ranked 0 unless configured, so it wins over
 * {@link DefaultBackoffStrategy} for the connections it selects (every connection unless configured).
 */
@Component(configurationPid = BackoffStrategy.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = BackoffConfig.class, factory = true)
@RecoveryFunctionProperties(connection_name = "*", strategy = "backoff")
public class ConfiguredBackoffStrategy extends BackoffStrategy {

    @Activate
    public ConfiguredBackoffStrategy(final BundleContext context, @Reference final HaConnections connections,
            @Reference(service = LoggerFactory.class) final Logger log, final BackoffConfig config,
            final Map<String, Object> properties) {
        super(context, connections, log, config, properties);
    }

    @Modified
    void update(final BackoffConfig config, final Map<String, Object> properties) {
        modified(config, properties);
    }

    @Deactivate
    void stop() {
        deactivate();
    }
}
