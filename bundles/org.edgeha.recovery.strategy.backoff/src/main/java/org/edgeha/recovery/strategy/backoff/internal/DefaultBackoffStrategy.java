package org.edgeha.recovery.strategy.backoff.internal;

import java.util.Map;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.api.RecoveryFunctionProperties;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
 * The gateway's default strategy, present with no configuration at all: every connection, ranked
 * {@value BackoffStrategy#DEFAULT_RANKING}. Its numbers can be tuned with a configuration of PID
 * {@value BackoffStrategy#DEFAULT_PID}. A separate component from {@link ConfiguredBackoffStrategy}
 * because DS drops the unconfigured instance of an OPTIONAL factory-PID component as soon as one factory
 * configuration exists; configuring one group of connections must not take the default from the others.
 */
@Component(configurationPid = BackoffStrategy.DEFAULT_PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true,
        property = Constants.SERVICE_RANKING + ":Integer=" + BackoffStrategy.DEFAULT_RANKING)
@Designate(ocd = BackoffConfig.class)
@RecoveryFunctionProperties(connection_name = "*", strategy = "backoff")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeha.recovery.api.RecoveryFunction",
        uses = RecoveryFunction.class)
public class DefaultBackoffStrategy extends BackoffStrategy {

    @Activate
    public DefaultBackoffStrategy(final BundleContext context, @Reference final HaConnections connections,
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
