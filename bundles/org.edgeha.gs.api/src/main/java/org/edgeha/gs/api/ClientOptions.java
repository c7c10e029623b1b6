package org.edgeha.gs.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client registers at {@link GroupServices#init} (GSAPI {@code ha_gs_init} arguments). Build
 * with {@link #named(String)} and the {@code with…} methods.
 *
 * @param name the client's name: for logs, operator views and whiteboard selection
 *     ({@link GsWhiteboard#CLIENT_NAME}); at most {@link GsLimits#MAX_NAME_LENGTH} characters
 * @param responsiveness the responsiveness check
 * @param responsivenessCallback answers pings; empty: a whiteboard service or, failing that, an
 *     automatic answer (which still detects callbacks that are stuck or not dispatched)
 * @param delayedErrorCallback receives delayed errors; empty: whiteboard services only (logged when
 *     there is none)
 * @param deactivateHandler the deactivate action for expels; empty succeeds at once
 * @param dispatchMode where callbacks run
 */
public record ClientOptions(String name, Responsiveness responsiveness,
        Optional<ResponsivenessCallback> responsivenessCallback, Optional<DelayedErrorCallback> delayedErrorCallback,
        Optional<DeactivateHandler> deactivateHandler, DispatchMode dispatchMode) {

    /** Checks for {@code null}. */
    public ClientOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(responsiveness, "responsiveness");
        Objects.requireNonNull(responsivenessCallback, "responsivenessCallback");
        Objects.requireNonNull(delayedErrorCallback, "delayedErrorCallback");
        Objects.requireNonNull(deactivateHandler, "deactivateHandler");
        Objects.requireNonNull(dispatchMode, "dispatchMode");
    }

    /** @return options with no responsiveness check, no callbacks, engine-thread dispatch */
    public static ClientOptions named(String name) {
        return new ClientOptions(name, Responsiveness.NONE, Optional.empty(), Optional.empty(), Optional.empty(),
                DispatchMode.ENGINE_THREAD);
    }

    /** @return a copy with a responsiveness check and callback */
    public ClientOptions withResponsiveness(Responsiveness r, ResponsivenessCallback callback) {
        return new ClientOptions(name, r, Optional.of(callback), delayedErrorCallback, deactivateHandler, dispatchMode);
    }

    /** @return a copy with a responsiveness check answered by a whiteboard service or automatically */
    public ClientOptions withResponsiveness(Responsiveness r) {
        return new ClientOptions(name, r, Optional.empty(), delayedErrorCallback, deactivateHandler, dispatchMode);
    }

    /** @return a copy with a delayed-error callback */
    public ClientOptions withDelayedErrorCallback(DelayedErrorCallback callback) {
        return new ClientOptions(name, responsiveness, responsivenessCallback, Optional.of(callback), deactivateHandler,
                dispatchMode);
    }

    /** @return a copy with a deactivate action */
    public ClientOptions withDeactivateHandler(DeactivateHandler handler) {
        return new ClientOptions(name, responsiveness, responsivenessCallback, delayedErrorCallback,
                Optional.of(handler), dispatchMode);
    }

    /** @return a copy with another dispatch mode */
    public ClientOptions withDispatchMode(DispatchMode mode) {
        return new ClientOptions(name, responsiveness, responsivenessCallback, delayedErrorCallback, deactivateHandler,
                mode);
    }
}
