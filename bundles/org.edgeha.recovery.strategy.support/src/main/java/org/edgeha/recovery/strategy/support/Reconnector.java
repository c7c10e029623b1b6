package org.edgeha.recovery.strategy.support;

import java.time.Duration;

/**
 * One connect attempt: {@link org.edgeha.recovery.api.HaConnections#reconnect} in the gateway, a plain
 * socket connect in tests. Keeps the recovery logic free of OSGi so it can be tested on its own.
 */
@FunctionalInterface
public interface Reconnector {

    /**
     * @param endpoint where to connect; {@code null} for the connection's current endpoint
     * @param timeout the longest this attempt may block
     * @return {@code coid} when the connection is usable again
     * @throws Exception the connect failure
     */
    int reconnect(int coid, String endpoint, Duration timeout) throws Exception;
}
