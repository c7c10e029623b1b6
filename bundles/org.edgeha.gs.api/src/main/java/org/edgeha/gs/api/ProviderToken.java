package org.edgeha.gs.api;

/**
 * Identifies one provider of one client, from {@link GsClient#join}.
 *
 * @param value the token's number
 */
public record ProviderToken(int value) implements Token {

    @Override
    public String toString() {
        return "provider#" + value;
    }
}
