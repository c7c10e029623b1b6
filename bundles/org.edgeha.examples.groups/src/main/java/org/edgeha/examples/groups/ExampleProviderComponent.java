package org.edgeha.examples.groups;

import java.util.Map;

import org.edgeha.gs.api.GroupProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One example provider per factory configuration of {@value #FACTORY_PID}, for example
 * {@code etc/org.edgeha.examples.groups.provider-line1.cfg}:
 *
 * <pre>
 * group=line1
 * instance=1
 * vote.rule=state-pattern
 * state.pattern=fill.*|idle
 * </pre>
 *
 * <p>It registers the {@link ExampleProvider} itself, with the whiteboard properties {@code gs.group.name}
 * and {@code gs.instance} taken from {@code group} and {@code instance}; the engine then joins it to its
 * group. A configuration with a bad value is reported in one ERROR line naming the property, and nothing
 * is registered. A changed configuration reactivates the component: the provider leaves and joins again.
 */
@Component(configurationPid = ExampleProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ProviderConfig.class, factory = true)
public class ExampleProviderComponent {

    /** Factory PID of the example providers. */
    static final String FACTORY_PID = "org.edgeha.examples.groups.provider";

    private final Logger log;
    private final String pid;
    private final ServiceRegistration<GroupProvider> registration;

    @Activate
    public ExampleProviderComponent(final BundleContext context,
            @Reference(service = LoggerFactory.class) final Logger log, final Map<String, Object> properties) {
        this.log = log;
        this.pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, FACTORY_PID));
        ProviderSettings settings;
        try {
            settings = ProviderSettings.parse(properties, problem -> log.warn("Example group provider {}: {}", pid, problem));
        } catch (IllegalArgumentException e) {
            log.error("Example group provider {}: {}; not registered", pid, e.getMessage());
            registration = null;
            return;
        }
        registration = context.registerService(GroupProvider.class, new ExampleProvider(settings, log),
                settings.serviceProperties());
        log.info("Example group provider {}: registered for group {} as instance {}, votes {}", pid, settings.group(),
                settings.instance(), settings.rule());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister(); // the engine says goodbye for the provider
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it already (bundle stopping)
            }
            log.info("Example group provider {}: unregistered", pid);
        }
    }
}
