package org.edgeha.gateway.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running gateway, registered once as an OSGi service by the gateway runtime bundle.
 *
 * <p>Thread-safe; no method blocks.
 */
@ProviderType
public interface Gateway {

    /** @return this gateway's settings, fixed for the life of the framework */
    GatewaySettings settings();

    /**
     * @return {@code true} once every bundle installed at start-up was active and the ready line
     *     was printed; stays {@code true} afterwards
     */
    boolean isReady();

    /**
     * @return milliseconds from the JVM's start to the ready line, or {@code -1} while not ready
     */
    long startupMillis();
}
