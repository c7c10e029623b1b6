package org.edgeha.examples.opcua;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.osgi.service.log.Logger;

/**
 * One HA-aware OPC UA session: a connection of kind {@value OpcUaSessionType#KIND} in the recovery service
 * ({@link HaConnections#registerConnection}), and what a new session must be given again after a recovery: its
 * subscriptions. It is the recovery handle (QNX's {@code rhdl}) of its connection, so that a recovery function
 * ({@link OpcUaReconnect}) can {@link #reestablish} it.
 *
 * <pre>{@code
 * try (OpcUaSession plc = OpcUaSession.open(ha, "opc-line1", "opc.tcp://10.0.0.9:4840/line1", null, log)) {
 *     DataValue v = plc.read(NodeId.parse("ns=2;s=Line1/Counter"));  // retried after a recovery, transparently
 *     plc.subscribe(NodeId.parse("ns=2;s=Line1/Counter"), Duration.ofMillis(500), value -> ...);
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. {@link #open}, {@link #read},
 * {@link #subscribe} and {@link #ensureSubscriptions} block: for one request (at most the request timeout), and,
 * when the session broke, for its recovery (at most the recovery function's budget). Subscription values are
 * delivered to the consumer on Milo's executor threads, one value at a time per subscription.
 */
public final class OpcUaSession implements AutoCloseable {

    private final HaConnection<OpcUaClient> connection;
    private final OpcUaSessionType type;
    private final String name;
    private final String endpoint;
    private final Logger log;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The client the connection holds now (written only on the recovery thread, after replaceResource). */
    private volatile OpcUaClient current;

    private OpcUaSession(final HaConnection<OpcUaClient> connection, final OpcUaSessionType type, final String name,
            final String endpoint, final OpcUaClient client, final Logger log) {
        this.connection = connection;
        this.current = client;
        this.type = type;
        this.name = name;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Connects to an OPC UA server and makes the session HA-aware. Blocks up to {@code connectTimeout}. A server
     * that does not answer now is not an error: the connection is registered with a client that has no session,
     * and its first operation recovers it.
     *
     * @param name the connection's name (whiteboard functions select by it; {@code ha:list} shows it)
     * @param endpoint {@code opc.tcp://host:port/path}
     * @param connectTimeout the longest the first connect may take
     * @param requestTimeout the longest one request may take
     * @param function the recovery function, or {@code null} for the best matching whiteboard one (the example's
     *     {@link OpcUaReconnect} matches every {@code opcua} connection)
     * @param log where connecting problems are logged
     * @return the open session; {@link #close} it
     * @throws HaException the recovery service refused the connection ({@code ENOMEM}); nothing stays open
     * @throws UaException the endpoint URL is not usable
     */
    public static OpcUaSession open(final HaConnections ha, final String name, final String endpoint,
            final Duration connectTimeout, final Duration requestTimeout, final RecoveryFunction function,
            final Logger log) throws HaException, UaException {
        OpcUaSessionType type = new OpcUaSessionType(requestTimeout);
        OpcUaClient client;
        try {
            client = type.connect(endpoint, connectTimeout);
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new UaException(StatusCodes.Bad_RequestCancelledByClient, "interrupted while connecting");
            }
            log.warn("OPC UA {}: no session with {} yet ({}); the first operation recovers it", name, endpoint,
                    e.getMessage());
            client = type.unconnected(endpoint);
        }
        HaConnection<OpcUaClient> connection;
        try {
            connection = ha.registerConnection(name, type, client, endpoint, Map.of());
        } catch (HaException e) {
            type.closeQuietly(client);
            throw e;
        }
        OpcUaSession session = new OpcUaSession(connection, type, name, endpoint, client, log);
        try {
            connection.attach(function, session); // ha_attach(coid, rfn, rhdl, 0)
        } catch (HaException e) {
            try {
                connection.close();
            } catch (HaException | IOException ignored) {
                // the attach failure is what the caller needs to know
            }
            throw e;
        }
        return session;
    }

    /** @return the connection id in the recovery service */
    public int coid() {
        return connection.coid();
    }

    /** @return the connection's name */
    public String name() {
        return name;
    }

    /** @return the endpoint URL */
    public String endpoint() {
        return endpoint;
    }

    /**
     * @return the connection as the recovery service sees it (recoveries, last recovery time, who recovers it)
     * @throws HaException {@code EBADF}: closed
     */
    public ConnectionInfo info() throws HaException {
        return connection.info();
    }

    /**
     * Reads a variable's value through the recovery service: when the session broke, the read waits for its
     * recovery and is then sent again on the new session, so the caller sees only its result.
     *
     * @return the value, with its status and timestamps
     * @throws UaException the read's own failure (a bad node id; a timeout while the session was up); or, when the
     *     session broke and could not be recovered, the original failure with the recovery function's reason
     *     attached as suppressed
     * @throws HaException {@code EBADF}: the session is closed
     */
    public DataValue read(final NodeId node) throws UaException, HaException {
        return connection.invoke(client -> readOn(client, node));
    }

    /**
     * Subscribes to a variable: a subscription with one monitored item on the current session, made again on
     * every new session by {@link #reestablish}.
     *
     * @param consumer gets every value the server reports, on Milo's threads; must not block
     * @return the subscription's record
     * @throws UaException as {@link #read}; or the server refused the monitored item (its status, e.g.
     *     {@code Bad_NodeIdUnknown}); the subscription is then forgotten
     * @throws HaException {@code EBADF}: the session is closed
     */
    public Subscription subscribe(final NodeId node, final Duration publishingInterval,
            final Consumer<DataValue> consumer) throws UaException, HaException {
        Subscription subscription = new Subscription(node, publishingInterval, consumer);
        subscriptions.add(subscription);
        try {
            connection.invoke(client -> {
                subscription.ensureOn(client, type.requestTimeout());
                return null;
            });
        } catch (UaException | HaException | RuntimeException e) {
            subscriptions.remove(subscription);
            throw e;
        }
        return subscription;
    }

    /**
     * Makes every subscription live on the current session again where Milo lost it without the session breaking
     * (a subscription the server dropped and Milo could not transfer). Does nothing when all are live.
     *
     * @throws UaException as {@link #read}
     * @throws HaException {@code EBADF}: the session is closed
     */
    public void ensureSubscriptions() throws UaException, HaException {
        connection.invoke(client -> {
            for (Subscription s : subscriptions) {
                s.ensureOn(client, type.requestTimeout());
            }
            return null;
        });
    }

    /**
     * The first recovery step: disconnects the broken client, so that Milo's own reconnect loop stops and every new
     * session is made by the recovery function. Until a recovery succeeds, operations on the connection fail at
     * once as lost ({@code Bad_SessionClosed}) and so recover again. Blocks about a second at most.
     */
    public void dropBrokenClient() {
        type.closeQuietly(current);
    }

    /**
     * The recovery step: connects a new session through the connection's type, makes every subscription on it,
     * and installs it as the connection's resource ({@link HaConnection#replaceResource}, which closes the stale
     * client). Called by a recovery function on the recovery thread. Blocks up to {@code timeout} for the connect
     * and one request timeout per subscription.
     *
     * @return how many subscriptions were made again
     * @throws Exception the connect failure, or a subscription failed because the new session broke too; the
     *     connection keeps its stale client and the new one is closed
     */
    public int reestablish(final Duration timeout) throws Exception {
        OpcUaClient fresh = type.connect(endpoint, timeout);
        try {
            for (Subscription s : subscriptions) {
                try {
                    s.ensureOn(fresh, type.requestTimeout());
                } catch (UaException e) {
                    if (type.isConnectionLost(e)) {
                        throw e;
                    }
                    // the server refuses it now (the node is gone): the session is still good
                    log.warn("OPC UA {}: subscription to {} not made again: {}", name, s.node(), e.getMessage());
                }
            }
            connection.replaceResource(fresh); // dup2(): same coid, the stale client closed
            current = fresh;
        } catch (Exception | Error e) {
            type.closeQuietly(fresh);
            throw e;
        }
        return subscriptions.size();
    }

    /**
     * Closes the session ({@code ha_close}): no recovery afterwards; the client disconnects (at most about a
     * second when the server is gone). Closing twice does nothing.
     */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (HaException | IOException e) {
            log.debug("OPC UA {}: closing: {}", name, e.getMessage());
        }
    }

    private DataValue readOn(final OpcUaClient client, final NodeId node) throws UaException {
        return guard(client, () -> OpcUaSessionType.await(client.readValue(0.0, TimestampsToReturn.Both, node),
                type.requestTimeout(), "reading " + node + " from " + endpoint));
    }

    /**
     * Runs a request. When Milo already noticed that the client's session is gone, it fails at once with
     * {@code Bad_SessionClosed} instead of waiting for the session Milo would re-create; a timeout while the client
     * has no active session means the same and is reported as {@code Bad_NotConnected}. Both are "lost": recovery
     * runs.
     */
    private <T> T guard(final OpcUaClient client, final Request<T> request) throws UaException {
        if (type.sessionLost(client)) {
            throw new UaException(StatusCodes.Bad_SessionClosed, "the session with " + endpoint + " is gone");
        }
        try {
            return request.send();
        } catch (UaException e) {
            if (e.getStatusCode().getValue() == StatusCodes.Bad_Timeout && !type.sessionActive(client)) {
                throw new UaException(StatusCodes.Bad_NotConnected,
                        "no session with " + endpoint + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Request<T> {
        T send() throws UaException;
    }
}
