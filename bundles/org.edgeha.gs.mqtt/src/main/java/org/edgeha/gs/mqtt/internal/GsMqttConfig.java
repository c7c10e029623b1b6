package org.edgeha.gs.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of Group Services over MQTT, PID {@value MqttGsTransport#PID}. */
@ObjectClassDefinition(name = "EdgeHA Group Services over MQTT",
        description = "How this gateway's Group Services engine talks to the other gateways of its domain through the broker.")
@interface GsMqttConfig {

    @AttributeDefinition(name = "Domain key", type = AttributeType.PASSWORD, required = false,
            description = "Shared secret of every gateway of the domain; protocol messages are authenticated with it "
                    + "(HMAC-SHA256). Empty: a key derived from the domain name, which authenticates nothing; a warning is logged. Never logged.")
    String _domain_key() default "";

    @AttributeDefinition(name = "Largest protocol message (bytes)", min = "1024",
            description = "Larger inputs are rejected and counted; keep it at most the MQTT connection's limit")
    int max_message_bytes() default 262_144;

    @AttributeDefinition(name = "Run alone after (ms)", min = "0",
            description = "With no broker reachable at start, Group Services runs for this gateway's own providers after this long")
    long alone_after_ms() default 3_000;
}
