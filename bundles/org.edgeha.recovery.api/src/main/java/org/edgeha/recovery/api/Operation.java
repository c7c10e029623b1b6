package org.edgeha.recovery.api;

/**
 * One operation on a connection's underlying resource (a {@code SocketChannel}, a {@code FileChannel},
 * an MQTT client ...), run by {@link HaConnections#invoke}. It may run more than once: again after a
 * successful recovery, on the new resource. It must therefore take everything it needs from its
 * argument and the client's own state (for a file, the offset is the client's to restore).
 *
 * @param <R> the resource type
 * @param <T> the result type
 * @param <X> the exception the operation throws
 */
@FunctionalInterface
public interface Operation<R, T, X extends Exception> {

    /**
     * @param resource the connection's current resource
     * @return the result
     * @throws X the operation's own failure; whether it means "the connection broke" is decided by the
     *     connection's type, not here
     */
    T apply(R resource) throws X;
}
