package org.edgeha.gs.api;

/**
 * Service property names of the Group Services whiteboard (SPEC 2.10). Typed property annotations
 * for DS components are in {@link org.edgeha.gs.api.propertytypes}.
 *
 * <table>
 * <caption>Whiteboard services and their properties</caption>
 * <tr><th>Service</th><th>Properties</th></tr>
 * <tr><td>{@link GroupProvider}</td><td>{@link #GROUP_NAME} (required, one), {@link #INSTANCE}
 * (required), {@link #LOCAL_NAME}</td></tr>
 * <tr><td>{@link SubscriptionCallback}</td><td>{@link #GROUP_NAME} (required, one or more),
 * {@link #SUBSCRIPTION_FLAGS}</td></tr>
 * <tr><td>{@link DelayedErrorCallback}</td><td>{@link #CLIENT_NAME}</td></tr>
 * <tr><td>{@link ResponsivenessCallback}</td><td>{@link #CLIENT_NAME}</td></tr>
 * </table>
 */
public final class GsWhiteboard {

    /**
     * Selects clients by name ({@code String} or {@code String[]}): a delayed-error or responsiveness
     * callback service serves the clients whose {@link ClientOptions#name()} is listed. Optional: absent
     * means every client of this gateway.
     */
    public static final String CLIENT_NAME = "gs.client.name";

    /**
     * The group(s) a service is for ({@code String} or {@code String[]}). Required for
     * {@link GroupProvider} (exactly one) and {@link SubscriptionCallback} (one or more).
     */
    public static final String GROUP_NAME = "gs.group.name";

    /**
     * A {@link GroupProvider}'s instance number ({@code Integer}, or a {@code String} holding one),
     * unique per gateway in its group. Required.
     */
    public static final String INSTANCE = "gs.instance";

    /** A {@link GroupProvider}'s local name ({@code String}) for logs and views. Optional. */
    public static final String LOCAL_NAME = "gs.local.name";

    /**
     * A {@link SubscriptionCallback}'s flags: names of {@link SubscriptionFlag} constants
     * ({@code String} or {@code String[]}). Optional: absent means all.
     */
    public static final String SUBSCRIPTION_FLAGS = "gs.subscription.flags";

    /** The name of the client through which the engine joins and subscribes for whiteboard services. */
    public static final String WHITEBOARD_CLIENT_NAME = "gs.whiteboard";

    private GsWhiteboard() {
    }
}
