package org.edgeha.recovery.strategy.backoff.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of a backoff strategy instance, for both the built-in default instance (PID
 * {@value BackoffStrategy#DEFAULT_PID}) and the factory instances (factory PID
 * {@value BackoffStrategy#FACTORY_PID}). Non-positive numbers are replaced by the defaults with a warning.
 */
@ObjectClassDefinition(name = "EdgeHA recovery strategy: reconnect with backoff",
        description = "Reconnects a broken connection to its own endpoint: an attempt at once, then attempts "
                + "separated by random waits in [0, min(max.delay.ms, initial.delay.ms * multiplier^n)].")
@interface BackoffConfig {

    @AttributeDefinition(name = "Strategy name", description = "Short name shown by ha:list and in the log")
    String edgeha_recovery_strategy() default "backoff";

    @AttributeDefinition(name = "Connection names",
            description = "Glob patterns (* and ?) over connection names; * selects every connection")
    String[] edgeha_recovery_connection_name() default {"*"};

    @AttributeDefinition(name = "Connection filter", required = false,
            description = "LDAP filter over connection properties (name, kind, endpoint, coid, ...), for "
                    + "example (kind=tcp); empty for none")
    String edgeha_recovery_connection_filter() default "";

    @AttributeDefinition(name = "Ranking", description = "The highest ranked matching strategy recovers a "
            + "connection. Configured instances default to 0; the built-in default instance ranks "
            + BackoffStrategy.DEFAULT_RANKING + " so that any configured strategy wins over it")
    int service_ranking() default 0;

    @AttributeDefinition(name = "Initial delay (ms)", min = "1",
            description = "Upper bound of the random wait after the first failed attempt")
    long initial_delay_ms() default BackoffSettings.INITIAL_DELAY_MS;

    @AttributeDefinition(name = "Maximum delay (ms)", min = "1",
            description = "Cap of the upper bound of every wait; the mean wait once capped is half of it")
    long max_delay_ms() default BackoffSettings.MAX_DELAY_MS;

    @AttributeDefinition(name = "Multiplier", min = "1",
            description = "Growth of the wait's upper bound per failed attempt")
    double multiplier() default BackoffSettings.MULTIPLIER;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1",
            description = "The longest one connect attempt may block")
    long connect_timeout_ms() default BackoffSettings.CONNECT_TIMEOUT_MS;

    @AttributeDefinition(name = "Budget (ms)", min = "1", description = "The longest one recovery may take, "
            + "attempts and waits together; the recovery service's own recovery timeout also applies")
    long budget_ms() default BackoffSettings.BUDGET_MS;

    @AttributeDefinition(name = "Maximum attempts",
            description = "Connect attempts per recovery; negative = unlimited (the budget still applies)")
    int max_attempts() default BackoffSettings.MAX_ATTEMPTS;
}
