package org.edgeha.recovery.strategy.failover.internal;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;
import java.util.stream.Collectors;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.api.RecoveryFunctionProperties;
import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.ServiceProperties;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
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
 * Whiteboard {@link RecoveryFunction} that fails a broken connection over across an ordered list of
 * endpoints ({@code HaConnections.reconnect(coid, endpoint, connectTimeout)}), sticky to the last one that
 * worked for that connection; see {@link FailoverRecovery}, which holds the logic. One instance per
 * factory configuration of {@value #FACTORY_PID}, e.g. {@code etc/org.edgeha.recovery.strategy.failover-plc.cfg}.
 *
 * <p>An instance needs endpoints and a selector (connection names or a filter): a list of endpoints
 * belongs to particular connections, so there is no "every connection" default here. Without them, or
 * with a malformed endpoint, it logs one error line saying why and registers no service; connections
 * then keep whichever strategy matched them before (the built-in backoff strategy, at worst).
 *
 * <p>The component registers its service itself rather than through DS: DS registers a component's
 * service before activating it and keeps it registered when activation fails, so a refused configuration
 * would still shadow the strategies below it. It also turns a {@code .cfg} file's String
 * {@code service.ranking} into the Integer the framework needs ({@link ServiceProperties}).
 *
 * <p>No {@code modified} method: a changed configuration re-creates the instance, so changed endpoints
 * are checked the same way; the sticky state starts afresh from each connection's current endpoint, which
 * is the last good one.
 */
@Component(configurationPid = FailoverStrategy.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = FailoverConfig.class, factory = true)
@RecoveryFunctionProperties(strategy = "failover")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeha.recovery.api.RecoveryFunction",
        uses = RecoveryFunction.class)
public class FailoverStrategy implements RecoveryFunction {

    /** Factory PID of the configured instances. */
    static final String FACTORY_PID = "org.edgeha.recovery.strategy.failover";

    private final HaConnections connections;
    private final Logger log;
    private final String label;
    private final FailoverRecovery recovery;
    private final ServiceRegistration<RecoveryFunction> registration;

    @Activate
    public FailoverStrategy(final BundleContext context, @Reference final HaConnections connections,
            @Reference(service = LoggerFactory.class) final Logger log, final FailoverConfig config,
            final Map<String, Object> properties) {
        this.connections = connections;
        this.log = log;
        Object pid = properties.get(Constants.SERVICE_PID);
        this.label = "'" + config.edgeha_recovery_strategy() + "'" + (pid == null ? "" : " (" + pid + ")");
        Hashtable<String, Object> serviceProperties = ServiceProperties.of(properties,
                problem -> log.warn("Failover strategy {}: {}", label, problem));
        String[] names = ServiceProperties.names(serviceProperties);
        String filter = config.edgeha_recovery_connection_filter();
        FailoverSettings settings;
        try {
            checkSelector(names, filter);
            settings = FailoverSettings.sanitize(config.endpoints(), config.connect_timeout_ms(),
                    config.round_delay_ms(), config.round_delay_max_ms(), config.budget_ms(), config.max_attempts(),
                    problem -> log.warn("Failover strategy {}: {}", label, problem));
        } catch (IllegalArgumentException e) {
            log.error("Failover strategy {} not started (no service registered): {}", label, e.getMessage());
            this.recovery = null;
            this.registration = null;
            return;
        }
        this.recovery = new FailoverRecovery(settings, connections::reconnect);
        log.info("Failover strategy {} ready for connections {}{}, ranking {}: {}", label, Arrays.toString(names),
                filter.isBlank() ? "" : " matching " + filter,
                serviceProperties.getOrDefault(Constants.SERVICE_RANKING, 0), settings);
        this.registration = context.registerService(RecoveryFunction.class, this, serviceProperties);
    }

    @Deactivate
    void stop() {
        if (registration != null) {
            registration.unregister();
        }
    }

    private void checkSelector(final String[] names, final String filter) {
        if (names.length == 0 && filter.isBlank()) {
            throw new IllegalArgumentException("set edgeha.recovery.connection.name or "
                    + "edgeha.recovery.connection.filter to the connections these endpoints belong to");
        }
        if (!filter.isBlank()) {
            try {
                FrameworkUtil.createFilter(filter);
            } catch (InvalidSyntaxException e) {
                log.warn("Failover strategy {}: edgeha.recovery.connection.filter '{}' is not a valid LDAP filter "
                        + "({}); the recovery service will ignore this strategy", label, filter, e.getMessage());
            }
        }
    }

    @Override
    public int recover(final int coid, final Object handle) throws InterruptedException {
        if (recovery == null) {
            return FAILED; // not registered; only reachable through a stale reference
        }
        recovery.retainOnly(c -> connections.info(c).isPresent());
        ConnectionInfo info = connections.info(coid).orElse(null);
        String name = info == null ? Integer.toString(coid) : coid + " (" + info.name() + ")";
        FailoverRecovery.Result result;
        try {
            result = recovery.recover(coid, info == null ? null : info.endpoint());
        } catch (InterruptedException e) {
            log.info("Failover strategy {}: recovery of connection {} interrupted", label, name);
            throw e;
        }
        if (result.recovered()) {
            log.debug("Failover strategy {}: connection {} reconnected to {} after {} attempt(s) in {} ms", label,
                    name, result.endpoint(), result.attempts(), result.elapsedMillis());
            return coid;
        }
        String format = "Failover strategy {}: connection {} not recovered, {} after {} attempt(s) in {} round(s), {} ms; "
                + "last failures: {}";
        Object[] arguments = {label, name, result.outcome().describe(recovery.settings()), result.attempts(),
            result.rounds(), result.elapsedMillis(), result.failures().entrySet().stream()
                    .map(f -> f.getKey() + ": " + f.getValue()).collect(Collectors.joining("; "))};
        if (result.outcome() == AttemptLoop.Outcome.INCURABLE) {
            log.info(format, arguments); // given up at once (e.g. a closed coid): the caller gets the error and says it
        } else {
            log.warn(format, arguments);
        }
        return FAILED;
    }
}
