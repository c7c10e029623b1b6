package org.edgeha.recovery.strategy.backoff.internal;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.strategy.support.AttemptLoop;
import org.edgeha.recovery.strategy.support.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

/**
 * Whiteboard {@link RecoveryFunction} that reconnects a broken connection to its <em>same</em> endpoint
 * ({@code HaConnections.reconnect(coid, null, connectTimeout)}) with capped exponential backoff and full
 * jitter: one attempt at once, then after failure {@code n} a wait uniform in
 * {@code [0, min(max.delay.ms, initial.delay.ms * multiplier^n)]}, until an attempt succeeds (returns the
 * coid), {@code max.attempts} are used up or the next attempt could not start within {@code budget.ms}
 * (returns {@link #FAILED}). Interruption (the recovery service's timeout) ends it at once with an
 * {@link InterruptedException}. This class adapts {@link HaConnections} to {@link BackoffRecovery},
 * which holds the logic.
 *
 * <p><b>Defaults</b> (initial 10 ms, max 100 ms, multiplier 2, connect timeout 1000 ms, budget 25 s, no
 * attempt limit) aim at SPEC 5: a connection recovered within 50 ms (median) of its server accepting
 * again. While the server is down the wait's upper bound reaches the 100 ms cap after four failures; the
 * server then comes back at a random moment within some wait, and the time left until the next attempt
 * averages {@code E[w²] / 2E[w] = max / 3} ≈ 33 ms with full jitter (median ≈ 0.29 × max ≈ 29 ms), plus
 * one connect (about a millisecond on a LAN). A refused connect (server process down, host up) fails at
 * once; an unreachable host blocks each attempt up to the connect timeout, which then bounds recovery.
 *
 * <p><b>Fleet trade-off.</b> With the cap at 100 ms each waiting client tries about 20 times a second.
 * Full jitter keeps a fleet that lost one server at the same moment from retrying in lockstep, but does
 * not lower that rate: for many gateways sharing one server raise {@code max.delay.ms} (the expected
 * extra recovery time grows as {@code max.delay.ms / 3}).
 *
 * <p><b>Instances.</b> {@link DefaultBackoffStrategy} is always there (PID {@value #DEFAULT_PID}, for
 * every connection, ranked {@value #DEFAULT_RANKING}); each factory configuration of {@value #FACTORY_PID}
 * adds a {@link ConfiguredBackoffStrategy} (ranked 0 unless configured), which wins over the default for
 * the connections it selects. A changed configuration applies from the next recovery on.
 *
 * <p><b>Registration.</b> The components register their service themselves ({@link ServiceProperties}):
 * a {@code .cfg} file gives {@code service.ranking} as a String, which the framework would count as 0.
 */
abstract class BackoffStrategy implements RecoveryFunction {

    /** Singleton PID of the built-in instance. */
    static final String DEFAULT_PID = "org.edgeha.recovery.strategy.backoff.default";
    /** Factory PID of configured instances. */
    static final String FACTORY_PID = "org.edgeha.recovery.strategy.backoff";
    /** Ranking of the built-in instance: below any configured strategy's default of 0. */
    static final int DEFAULT_RANKING = -1000;

    private final HaConnections connections;
    private final Logger log;
    private volatile BackoffRecovery recovery;
    private volatile String label;
    private ServiceRegistration<RecoveryFunction> registration;

    BackoffStrategy(final BundleContext context, final HaConnections connections, final Logger log,
            final BackoffConfig config, final Map<String, Object> properties) {
        this.connections = connections;
        this.log = log;
        Hashtable<String, Object> serviceProperties = apply(config, properties);
        this.registration = context.registerService(RecoveryFunction.class, this, serviceProperties);
    }

    /** Applies a changed configuration; a running recovery finishes with the settings it started with. */
    final synchronized void modified(final BackoffConfig config, final Map<String, Object> properties) {
        Hashtable<String, Object> serviceProperties = apply(config, properties);
        if (registration != null) {
            registration.setProperties(serviceProperties);
        }
    }

    final synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private Hashtable<String, Object> apply(final BackoffConfig config, final Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        String name = "'" + config.edgeha_recovery_strategy() + "'" + (pid == null ? "" : " (" + pid + ")");
        Hashtable<String, Object> serviceProperties = ServiceProperties.of(properties,
                problem -> log.warn("Backoff strategy {}: {}", name, problem));
        BackoffSettings settings = BackoffSettings.sanitize(config.initial_delay_ms(), config.max_delay_ms(),
                config.multiplier(), config.connect_timeout_ms(), config.budget_ms(), config.max_attempts(),
                problem -> log.warn("Backoff strategy {}: {}", name, problem));
        String[] names = ServiceProperties.names(serviceProperties);
        checkSelector(name, names, config.edgeha_recovery_connection_filter());
        this.label = name;
        this.recovery = new BackoffRecovery(settings, connections::reconnect);
        log.info("Backoff strategy {} ready for connections {}{}, ranking {}: {}", name, Arrays.toString(names),
                config.edgeha_recovery_connection_filter().isBlank() ? ""
                        : " matching " + config.edgeha_recovery_connection_filter(),
                serviceProperties.getOrDefault(Constants.SERVICE_RANKING, 0), settings);
        return serviceProperties;
    }

    /** The recovery service rejects bad selectors itself; say why here too, next to the configuration. */
    private void checkSelector(final String name, final String[] names, final String filter) {
        if (!filter.isBlank()) {
            try {
                FrameworkUtil.createFilter(filter);
            } catch (InvalidSyntaxException e) {
                log.warn("Backoff strategy {}: edgeha.recovery.connection.filter '{}' is not a valid LDAP filter "
                        + "({}); the recovery service will ignore this strategy", name, filter, e.getMessage());
            }
        }
        if (names.length == 0 && filter.isBlank()) {
            log.warn("Backoff strategy {}: neither edgeha.recovery.connection.name nor "
                    + "edgeha.recovery.connection.filter is set; it selects no connection", name);
        }
    }

    @Override
    public int recover(final int coid, final Object handle) throws InterruptedException {
        BackoffRecovery current = recovery;
        String name = label;
        BackoffRecovery.Result result;
        try {
            result = current.recover(coid);
        } catch (InterruptedException e) {
            log.info("Backoff strategy {}: recovery of connection {} interrupted", name, describe(coid));
            throw e;
        }
        if (result.recovered()) {
            log.debug("Backoff strategy {}: connection {} reconnected after {} attempt(s) in {} ms", name,
                    describe(coid), result.attempts(), result.elapsedMillis());
            return coid;
        }
        String format = "Backoff strategy {}: connection {} not recovered, {} after {} attempt(s) in {} ms; last failure: {}";
        Object[] arguments = {name, describe(coid), result.outcome().describe(current.settings()), result.attempts(),
            result.elapsedMillis(), String.valueOf(result.lastFailure())};
        if (result.outcome() == AttemptLoop.Outcome.INCURABLE) {
            log.info(format, arguments); // given up at once (e.g. a closed coid): the caller gets the error and says it
        } else {
            log.warn(format, arguments);
        }
        return FAILED;
    }

    private String describe(final int coid) {
        return connections.info(coid).map(ConnectionInfo::name).map(n -> coid + " (" + n + ")")
                .orElse(Integer.toString(coid));
    }
}
