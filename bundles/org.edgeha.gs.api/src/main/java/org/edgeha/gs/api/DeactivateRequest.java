package org.edgeha.gs.api;

import java.util.Objects;

/**
 * What an expel asks of one target's deactivate action (GSAPI deactivate script arguments).
 *
 * @param token the expelled provider
 * @param group the group
 * @param flag the expel's deactivate flag
 * @param phase the phase the action runs in
 */
public record DeactivateRequest(ProviderToken token, String group, String flag, int phase) {

    /** Checks for {@code null}. */
    public DeactivateRequest {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(flag, "flag");
    }
}
