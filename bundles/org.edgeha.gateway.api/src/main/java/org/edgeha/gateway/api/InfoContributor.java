package org.edgeha.gateway.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the gateway that has something to say in {@code edgeha:info} (whiteboard: register it as an OSGi
 * service). The MQTT bridge, for example, gives the broker URIs in use, the link's state and the incarnation, which
 * can differ from the {@code edgeha.broker} setting once {@code etc/org.edgeha.mqtt.cfg} sets {@code broker.uris}.
 *
 * <p>{@link #info()} is called on the shell's thread each time an operator asks; it must return at once (no I/O,
 * no waiting for a lock held across I/O).
 *
 * @since 1.1
 */
@ConsumerType
public interface InfoContributor {

    /**
     * Label of the line that names the broker in use; a contribution with it replaces the {@code edgeha.broker}
     * setting's line, which then only tells what was given at start.
     */
    String BROKER = "broker";

    /** @return labels (one word, lower case) and values, one line each, in the order to show them */
    Map<String, String> info();
}
