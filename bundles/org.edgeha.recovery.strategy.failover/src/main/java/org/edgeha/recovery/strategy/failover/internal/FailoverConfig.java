package org.edgeha.recovery.strategy.failover.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one failover strategy instance (factory PID {@value FailoverStrategy#FACTORY_PID}).
 * Missing or malformed endpoints, or no selector, keep the instance from starting; non-positive numbers
 * are replaced by the defaults with a warning.
 */
@ObjectClassDefinition(name = "EdgeHA recovery strategy: failover across endpoints",
        description = "Reconnects a broken connection to the endpoint that worked last, then to the others in "
                + "list order; rounds separated by random waits in [0, min(round.delay.max.ms, "
                + "round.delay.ms * 2^n)].")
@interface FailoverConfig {

    @AttributeDefinition(name = "Endpoints", description = "host:port (IPv6 as [addr]:port) in order of "
            + "preference; at least one. A .cfg file may give them comma-separated")
    String[] endpoints();

    @AttributeDefinition(name = "Strategy name", description = "Short name shown by ha:list and in the log")
    String edgeha_recovery_strategy() default "failover";

    @AttributeDefinition(name = "Connection names", required = false, description = "Glob patterns (* and ?) "
            + "over connection names. This or the filter is required: the endpoints belong to particular connections")
    String[] edgeha_recovery_connection_name() default {};

    @AttributeDefinition(name = "Connection filter", required = false,
            description = "LDAP filter over connection properties (name, kind, endpoint, coid, ...), for "
                    + "example (&(kind=tcp)(name=plc-*))")
    String edgeha_recovery_connection_filter() default "";

    @AttributeDefinition(name = "Ranking", description = "The highest ranked matching strategy recovers a "
            + "connection; the built-in backoff strategy ranks -1000")
    int service_ranking() default 0;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1", description = "The longest one connect "
            + "attempt may block; an endpoint whose host does not answer costs this much per round")
    long connect_timeout_ms() default FailoverSettings.CONNECT_TIMEOUT_MS;

    @AttributeDefinition(name = "Round delay (ms)", min = "1",
            description = "Upper bound of the random wait after the first round in which every endpoint failed")
    long round_delay_ms() default FailoverSettings.ROUND_DELAY_MS;

    @AttributeDefinition(name = "Maximum round delay (ms)", min = "1",
            description = "Cap of the wait's upper bound, which doubles with each failed round")
    long round_delay_max_ms() default FailoverSettings.ROUND_DELAY_MAX_MS;

    @AttributeDefinition(name = "Budget (ms)", min = "1", description = "The longest one recovery may take; "
            + "the recovery service's own recovery timeout also applies")
    long budget_ms() default FailoverSettings.BUDGET_MS;

    @AttributeDefinition(name = "Maximum attempts", description = "Connect attempts per recovery over all "
            + "endpoints; negative = unlimited (the budget still applies)")
    int max_attempts() default FailoverSettings.MAX_ATTEMPTS;
}
