package org.edgeha.gs.api;

/**
 * Identifies one subscription of one client, from {@link GsClient#subscribe}.
 *
 * @param value the token's number
 */
public record SubscriberToken(int value) implements Token {

    @Override
    public String toString() {
        return "subscriber#" + value;
    }
}
