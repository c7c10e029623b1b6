package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers a client's responsiveness pings (GSAPI responsiveness callback), given in
 * {@link ClientOptions}. Also a whiteboard service selected by {@link GsWhiteboard#CLIENT_NAME}: it
 * answers for clients of those names that have no callback of their own.
 *
 * <p>A ping is missed when the callback does not run within the response time limit (the client's
 * callbacks are stuck or, for {@link DispatchMode#EXPLICIT} clients, not dispatched) or returns
 * {@code false}. A missed ping produces an announcement to the client's groups; it never removes
 * anyone.
 *
 * <p>Threads: as {@link ProviderCallbacks}; part of the client's serial stream of callbacks.
 */
@ConsumerType
@FunctionalInterface
public interface ResponsivenessCallback {

    /**
     * @param notification the ping
     * @return {@code true} when the client is healthy
     */
    boolean ping(ResponsivenessNotification notification);
}
