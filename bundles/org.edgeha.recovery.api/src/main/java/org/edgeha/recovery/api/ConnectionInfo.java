package org.edgeha.recovery.api;

import java.util.Map;

/**
 * A snapshot of one connection, for operators and tools. Immutable.
 *
 * @param coid the connection id
 * @param name the connection's name
 * @param kind the connection's kind ({@code tcp}, {@code file}, or a registered kind)
 * @param endpoint where it is connected: {@code host:port}, a path, a broker URI; may be empty
 * @param state where it stands
 * @param haAware whether a recovery function is bound (explicitly or through the whiteboard)
 * @param suspended whether recovery is suspended ({@link ControlCommand#SUSPEND})
 * @param recoveryFunction who recovers it: "explicit CLASS", "whiteboard NAME (bundle BSN)", "whiteboard:
 *     none matches", or "none"
 * @param recoveriesSucceeded recoveries that returned the connection id
 * @param recoveriesFailed recoveries that returned -1, another id, threw or timed out
 * @param lastRecoveryMillis duration of the last recovery, or -1 when none ran
 * @param icountLimit the ICOUNT limit (negative = unlimited)
 * @param icount the ICOUNT counter
 * @param acountLimit the ACOUNT limit (negative = unlimited)
 * @param acount the ACOUNT counter
 * @param references how many connection ids share this connection's recovery record (see {@code dup})
 * @param properties the connection's properties, as whiteboard filters see them
 */
public record ConnectionInfo(int coid, String name, String kind, String endpoint, ConnectionState state,
        boolean haAware, boolean suspended, String recoveryFunction, long recoveriesSucceeded,
        long recoveriesFailed, long lastRecoveryMillis, int icountLimit, int icount, int acountLimit,
        int acount, int references, Map<String, Object> properties) {

    /** Connection property: the connection's name. */
    public static final String NAME = "name";
    /** Connection property: the connection's kind. */
    public static final String KIND = "kind";
    /** Connection property: the connection's endpoint. */
    public static final String ENDPOINT = "endpoint";
    /** Connection property: the connection id (Integer). */
    public static final String COID = "coid";
    /**
     * Connection property, given at {@link HaConnections#register}: the connection is owned by the runtime part
     * named here (e.g. "the MQTT bridge (org.edgeha.mqtt), which keeps it connected"), which opens, recovers and
     * closes it itself. Operators' commands refuse to close, detach or control such a connection; a bundle that
     * does it through the API anyway makes the owner notice and open a new one.
     *
     * @since 1.1
     */
    public static final String OWNER = "owner";
    /**
     * Connection property next to {@link #OWNER}: what an operator uses instead (e.g. "mqtt:status to see it;
     * etc/org.edgeha.mqtt.cfg to change it").
     *
     * @since 1.1
     */
    public static final String OWNER_COMMANDS = "owner.commands";

    public ConnectionInfo {
        properties = Map.copyOf(properties);
    }
}
