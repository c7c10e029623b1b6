package org.edgeha.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@value HealthPublisher#PID}: EdgeHA's health checks and the health message (README, "Health"). */
@ObjectClassDefinition(name = "EdgeHA health",
        description = "EdgeHA's health checks (tag edgeha) and the retained MQTT message"
                + " edgeha/{domain}/node/{node}/health; docs/mqtt-api.md, Node health.")
@interface HealthConfig {

    @AttributeDefinition(name = "Check interval (s)", min = "1", max = "3600",
            description = "How often the checks run for the MQTT message; a change of any status is published at once")
    int checkIntervalSeconds() default 5;

    @AttributeDefinition(name = "Publish interval (s)", min = "10", max = "86400",
            description = "The health message is published again at this period even when nothing changed")
    int publishIntervalSeconds() default 60;

    @AttributeDefinition(name = "Store warning (%)", min = "1", max = "100",
            description = "The MQTT store check warns when a store is this full (messages or bytes of its limit);"
                    + " CRITICAL when full")
    int storeWarnPercent() default 80;

    @AttributeDefinition(name = "Recovery budget (ms)", min = "1",
            description = "A connection recovering longer than this is CRITICAL (the recovery service's default"
                    + " recovery timeout)")
    long recoveryBudgetMillis() default 30_000L;
}
