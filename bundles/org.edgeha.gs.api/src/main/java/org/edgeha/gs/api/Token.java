package org.edgeha.gs.api;

/**
 * A token the engine hands out for a provider or a subscriber and echoes in its notifications
 * (GSAPI {@code ha_gs_token_t}). Unique on this gateway for the life of the engine.
 */
public sealed interface Token permits ProviderToken, SubscriberToken {

    /** @return the token's number */
    int value();
}
