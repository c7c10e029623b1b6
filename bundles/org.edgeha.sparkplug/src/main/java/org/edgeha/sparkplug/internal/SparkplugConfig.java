package org.edgeha.sparkplug.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.edgeha.sparkplug}: this gateway as a Sparkplug B edge node (README, "Sparkplug B for SCADA"). */
@ObjectClassDefinition(name = "EdgeHA Sparkplug B edge node",
        description = "Publishes this gateway's state as a Sparkplug B edge node (NBIRTH, NDATA, NDEATH as the will"
                + " of its own MQTT session) for SCADA hosts; docs/mqtt-api.md, Sparkplug B.")
public @interface SparkplugConfig {

    @AttributeDefinition(name = "Enabled", description = "Off: no Sparkplug session (an NDEATH is published first)")
    boolean enabled() default true;

    @AttributeDefinition(name = "Group id", required = false,
            description = "The Sparkplug group id; empty: edgeha-{domain}")
    String groupId() default "";

    @AttributeDefinition(name = "Edge node id", required = false,
            description = "The Sparkplug edge node id; empty: gw-{node}")
    String nodeId() default "";

    @AttributeDefinition(name = "Broker", required = false,
            description = "The broker URI (tcp:// or ssl://) of the Sparkplug session; empty: reuse the gateway's"
                    + " broker (edgeha.broker). A separate session in any case: its will is the NDEATH")
    String broker() default "";

    @AttributeDefinition(name = "Publish interval (ms)", min = "100", max = "3600000",
            description = "How often the metrics are sampled; NDATA carries only those that changed")
    long publishIntervalMillis() default 1000L;
}
