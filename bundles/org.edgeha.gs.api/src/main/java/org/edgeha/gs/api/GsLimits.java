package org.edgeha.gs.api;

import java.util.regex.Pattern;

/**
 * Limits every gateway enforces on requests ({@link ReturnCode#BAD_PARAMETER} beyond them), and the
 * rule for group names. Fixed for the API's major version so that all gateways of a domain agree.
 */
public final class GsLimits {

    /** Largest state value, in bytes. */
    public static final int MAX_STATE_BYTES = 65_536;

    /** Largest provider message, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 65_536;

    /** Longest group name, in characters. */
    public static final int MAX_GROUP_NAME_LENGTH = 128;

    /** Longest provider local name, client name or deactivate flag, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Most providers one expel may name. */
    public static final int MAX_EXPEL_LIST = 1024;

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_GROUP_NAME_LENGTH + "}");

    private GsLimits() {
    }

    /**
     * Group names are 1 to 128 letters, digits, {@code .}, {@code _} or {@code -}, so that a name can be
     * used as one MQTT topic level (public views at {@code edgeha/{domain}/group/{group}/view}).
     *
     * @param name a candidate group name, may be {@code null}
     * @return whether it is a valid group name
     */
    public static boolean isValidGroupName(String name) {
        return name != null && GROUP_NAME.matcher(name).matches();
    }
}
