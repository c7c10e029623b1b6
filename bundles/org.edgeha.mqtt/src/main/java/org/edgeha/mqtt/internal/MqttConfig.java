package org.edgeha.mqtt.internal;

import org.edgeha.mqtt.api.OverflowPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the gateway's MQTT connection, PID {@value MqttBridgeComponent#PID}. */
@ObjectClassDefinition(name = "EdgeHA MQTT connection",
        description = "The gateway's MQTT 5 connection: brokers, identity, security, session and store-and-forward.")
@interface MqttConfig {

    @AttributeDefinition(name = "Broker URIs", required = false,
            description = "tcp://host:port or ssl://host:port, tried in order; empty: the edgeha.broker setting")
    String[] broker_uris() default {};

    @AttributeDefinition(name = "Client id", required = false,
            description = "Empty: edgeha-DOMAIN-NODE")
    String client_id() default "";

    @AttributeDefinition(name = "User name", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Never logged")
    String _password() default "";

    @AttributeDefinition(name = "Keepalive (s)", description = "A dead peer is noticed after about 1.5 times this", min = "1")
    int keepalive_s() default 10;

    @AttributeDefinition(name = "Session expiry (s)", description = "How long the broker keeps the session while away", min = "0")
    long session_expiry_s() default 300;

    @AttributeDefinition(name = "Will delay (s)",
            description = "How long the broker waits before publishing this gateway's will: a quicker reconnect is no failure", min = "0")
    long will_delay_s() default 5;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1")
    int connect_timeout_ms() default 2000;

    @AttributeDefinition(name = "Largest message (bytes)", min = "1")
    int max_message_bytes() default 262_144;

    @AttributeDefinition(name = "Store: most messages", min = "1")
    long store_max_messages() default 100_000;

    @AttributeDefinition(name = "Store: most bytes", min = "1024")
    long store_max_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Store: when full")
    OverflowPolicy store_overflow() default OverflowPolicy.REJECT_NEW;

    @AttributeDefinition(name = "Store: sync each message",
            description = "Force each accepted message to disk (survives power loss; slower)")
    boolean store_sync() default false;

    @AttributeDefinition(name = "TLS trust store", required = false, description = "PKCS12 or JKS file with the broker's CA")
    String tls_truststore() default "";

    @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false)
    String _tls_truststore_password() default "";

    @AttributeDefinition(name = "TLS key store", required = false, description = "PKCS12 or JKS file with this gateway's client certificate")
    String tls_keystore() default "";

    @AttributeDefinition(name = "TLS key store password", type = AttributeType.PASSWORD, required = false)
    String _tls_keystore_password() default "";
}
