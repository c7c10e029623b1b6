package org.edgeha.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of remote management, PID {@value ManagementComponent#PID}. */
@ObjectClassDefinition(name = "EdgeHA remote management over MQTT",
        description = "Signed requests on edgeha/{domain}/manage/{node|all}/request install, update, remove and list "
                + "bundles and features on this gateway.")
@interface ManagementConfig {

    @AttributeDefinition(name = "Trusted keys", required = false,
            description = "keyId=base64 X.509 SubjectPublicKeyInfo of an Ed25519 public key (openssl pkey -pubout "
                    + "-outform DER | base64 -w0), one per entry or comma-separated. None: every request is refused.")
    String[] trusted_keys() default {};

    @AttributeDefinition(name = "Largest clock skew (s)", min = "1",
            description = "Requests issued further than this from the gateway's clock are refused")
    long max_clock_skew_s() default 300;

    @AttributeDefinition(name = "Largest artifact (bytes)", min = "0",
            description = "Larger requests are refused; keep it at most the MQTT connection's max.message.bytes")
    int max_artifact_bytes() default 262_144;
}
