package org.edgeha.recovery.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How the recovery service treats one kind of connection: what counts as "the connection broke", how
 * to close a resource and how to connect a new one. TCP sockets and files are built in; a bundle that
 * wants its own connections recovered (an MQTT client, a serial line) implements this and registers its
 * connections with {@link HaConnections#register}.
 *
 * <p>Methods may be called from any thread, also concurrently; they must not block for long except
 * {@link #connect}, which is bounded by its timeout.
 *
 * @param <R> the resource type, for example {@code java.nio.channels.SocketChannel}
 */
@ConsumerType
public interface ConnectionType<R> {

    /** @return the kind's name, shown to operators and matched by whiteboard filters ({@code kind=...}) */
    String kind();

    /** @return the resource class; {@link HaConnections#invoke} checks it */
    Class<R> resourceType();

    /**
     * The classification that decides whether recovery runs (the EBADF/ESRCH analogue). Every failure
     * for which this is false reaches the caller untouched and no recovery function is called.
     *
     * @param failure what the operation threw
     * @return whether it means the connection broke (closed channel, reset, broken pipe, lost session ...)
     */
    boolean isConnectionLost(Throwable failure);

    /**
     * Closes a resource, stale or not. Failures are logged by the caller and otherwise ignored.
     *
     * @param resource the resource
     * @throws Exception when closing failed
     */
    void close(R resource) throws Exception;

    /**
     * Connects a new resource to an endpoint; used by {@link HaConnections#reconnect}.
     *
     * @param endpoint the endpoint, in this kind's notation (for TCP {@code host:port})
     * @param timeout the longest the attempt may take
     * @return the connected resource
     * @throws Exception the connect failure, reported to the recovery function that asked
     */
    default R connect(String endpoint, Duration timeout) throws Exception {
        throw new UnsupportedOperationException(kind() + " connections cannot be reconnected by endpoint");
    }
}
