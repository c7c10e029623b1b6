package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a client's delayed errors (GSAPI {@code ha_gs_delayed_error_callback}), given in
 * {@link ClientOptions}. Also a whiteboard service: an instance registered with
 * {@link GsWhiteboard#CLIENT_NAME} receives the delayed errors of the clients of those names (every
 * client when the property is absent), in addition to the client's own callback.
 *
 * <p>Threads: as {@link ProviderCallbacks}; part of the client's serial stream of callbacks.
 */
@ConsumerType
@FunctionalInterface
public interface DelayedErrorCallback {

    /**
     * @param notification the failed request and why
     */
    void delayedError(DelayedErrorNotification notification);
}
