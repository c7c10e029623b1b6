package org.edgeha.examples.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.edgeha.recovery.api.ConnectionType;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * An OPC UA session as the recovery service sees it: kind {@value #KIND}, the resource an Eclipse Milo
 * {@link OpcUaClient} with an open session, the endpoint an {@code opc.tcp://host:port/path} URL.
 *
 * <p><b>Broken</b> ({@link #isConnectionLost}): a {@link UaException} anywhere in the cause chain whose status says
 * that the connection, the secure channel or the session is gone ({@link #LOST_STATUS}: connection closed or
 * refused, session closed or unknown to the server, server halted or shut down, communication error, not
 * connected), or an {@link IOException} (refused, reset). Anything else (a bad node id, access denied, a bad value,
 * and a request that timed out while the session was up) reaches the caller untouched.
 *
 * <p><b>Connect</b> ({@link #connect}): asks the server for its endpoints, takes the one without security (this
 * example connects with {@code SecurityPolicy#None} and an anonymous user only), connects a new client to the
 * host and port it was given (not the host name the server advertises) and opens a session, all within the
 * timeout. A client that did not get a session is disconnected again, so that Milo's own reconnect loop does not
 * go on in the background: every reconnect goes through the recovery function.
 *
 * <p>Thread-safe; {@link #connect} blocks up to its timeout, {@link #close} up to {@value #CLOSE_TIMEOUT_MS} ms.
 */
public final class OpcUaSessionType implements ConnectionType<OpcUaClient> {

    /** The connection kind, for whiteboard filters: {@code (kind=opcua)}. */
    public static final String KIND = "opcua";

    /** Status codes that mean the session or its connection is gone. */
    public static final Set<Long> LOST_STATUS = Set.of(
            StatusCodes.Bad_ConnectionClosed,
            StatusCodes.Bad_ConnectionRejected,
            StatusCodes.Bad_NotConnected,
            StatusCodes.Bad_ServerNotConnected,
            StatusCodes.Bad_SessionClosed,
            StatusCodes.Bad_SessionIdInvalid,
            StatusCodes.Bad_SessionNotActivated,
            StatusCodes.Bad_SecureChannelClosed,
            StatusCodes.Bad_SecureChannelIdInvalid,
            StatusCodes.Bad_TcpSecureChannelUnknown,
            StatusCodes.Bad_CommunicationError,
            StatusCodes.Bad_Disconnect,
            StatusCodes.Bad_ServerHalted,
            StatusCodes.Bad_Shutdown,
            StatusCodes.Bad_NoCommunication);

    /** Longest wait for a client's disconnect (closing its session on a server that may be gone). */
    static final long CLOSE_TIMEOUT_MS = 1000;

    private final Duration requestTimeout;
    /** The clients this type made whose session is active now (Milo's SessionActivityListener). */
    private final Set<OpcUaClient> active = ConcurrentHashMap.newKeySet();
    /** The clients whose session was active and went inactive since: Milo noticed the loss before a request did. */
    private final Set<OpcUaClient> lost = ConcurrentHashMap.newKeySet();

    /**
     * @param requestTimeout the longest one OPC UA request (a read, a subscription call) may take
     */
    public OpcUaSessionType(final Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<OpcUaClient> resourceType() {
        return OpcUaClient.class;
    }

    @Override
    public boolean isConnectionLost(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UaException e && LOST_STATUS.contains(e.getStatusCode().getValue())) {
                return true;
            }
            if (t instanceof IOException) {
                return true; // the socket under the client: refused, reset, closed
            }
        }
        return false;
    }

    @Override
    public void close(final OpcUaClient client) throws Exception {
        active.remove(client);
        lost.remove(client);
        try {
            client.disconnect().get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the server is gone and the close-session request hangs: the channel is closed regardless
        }
    }

    @Override
    public OpcUaClient connect(final String endpoint, final Duration timeout) throws Exception {
        try {
            return connectWithin(endpoint, timeout);
        } catch (UaException e) {
            if (e.getStatusCode().getValue() == StatusCodes.Bad_Timeout) {
                throw new UaException(StatusCodes.Bad_Timeout,
                        "no session with " + endpoint + " within " + timeout.toMillis() + " ms", e);
            }
            throw e;
        }
    }

    private OpcUaClient connectWithin(final String endpoint, final Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EndpointDescription> endpoints = await(DiscoveryClient.getEndpoints(endpoint), remaining(deadline),
                "getting the endpoints of " + endpoint);
        EndpointDescription none = endpoints.stream()
                .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())
                        && e.getSecurityMode() == MessageSecurityMode.None)
                .findFirst()
                .orElseThrow(() -> new UaException(StatusCodes.Bad_SecurityPolicyRejected, endpoint
                        + " offers no endpoint without security; this example connects with SecurityPolicy None only"));
        OpcUaClient client = newClient(EndpointUtil.updateUrl(none, EndpointUtil.getHost(endpoint),
                EndpointUtil.getPort(endpoint)), timeout);
        try {
            await(client.connect(), remaining(deadline), "opening a session with " + endpoint);
            return client;
        } catch (Exception | Error e) {
            closeQuietly(client);
            throw e;
        }
    }

    /**
     * A client for the endpoint that is not connected, for a connection whose server is not reachable when it is
     * opened: its first operation fails as "lost" (no session) and so runs the recovery function. Returns at once.
     *
     * @throws UaException the endpoint URL is not usable
     */
    public OpcUaClient unconnected(final String endpoint) throws UaException {
        EndpointDescription guess = new EndpointDescription(endpoint, null, ByteString.NULL_VALUE,
                MessageSecurityMode.None, SecurityPolicy.None.getUri(),
                new UserTokenPolicy[] {new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null)},
                Stack.TCP_UASC_UABINARY_TRANSPORT_URI, ubyte(0));
        return newClient(guess, requestTimeout);
    }

    /** @return whether the client (one this type made) has an active session now */
    boolean sessionActive(final OpcUaClient client) {
        return active.contains(client);
    }

    /** @return whether the client (one this type made) had a session that went inactive and has not come back */
    boolean sessionLost(final OpcUaClient client) {
        return lost.contains(client);
    }

    /** @return the longest one request may take */
    Duration requestTimeout() {
        return requestTimeout;
    }

    /** Closes a client, ignoring failures (bounded as {@link #close}). */
    void closeQuietly(final OpcUaClient client) {
        try {
            close(client);
        } catch (Exception e) {
            // nothing more to do: the client is dropped
        }
    }

    private OpcUaClient newClient(final EndpointDescription endpoint, final Duration connectTimeout)
            throws UaException {
        OpcUaClientConfig config = OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("EdgeHA gateway"))
                .setApplicationUri("urn:edgeha:gateway:opcua-example")
                .setEndpoint(endpoint)
                .setConnectTimeout(uint(Math.max(1, connectTimeout.toMillis())))
                .setRequestTimeout(uint(Math.max(1, requestTimeout.toMillis())))
                .build();
        OpcUaClient client = OpcUaClient.create(config);
        client.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(final UaSession session) {
                active.add(client);
                lost.remove(client);
            }

            @Override
            public void onSessionInactive(final UaSession session) {
                if (active.remove(client)) {
                    lost.add(client);
                }
            }
        });
        return client;
    }

    private static Duration remaining(final long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Waits for a Milo future within a timeout.
     *
     * @throws UaException its failure (the {@link UaException} in it when there is one), or {@code Bad_Timeout}
     *     naming {@code what} when it did not complete in time, or {@code Bad_RequestCancelledByClient} when the
     *     waiting thread was interrupted (its interrupt flag is set again)
     */
    static <T> T await(final CompletableFuture<T> future, final Duration timeout, final String what)
            throws UaException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof UaException ua) {
                throw ua;
            }
            if (cause instanceof IOException io) {
                throw new UaException(StatusCodes.Bad_CommunicationError, what + " failed: " + io, io);
            }
            throw new UaException(StatusCodes.Bad_UnexpectedError, what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new UaException(StatusCodes.Bad_Timeout, what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new UaException(StatusCodes.Bad_RequestCancelledByClient, what + ": interrupted");
        }
    }
}
