package org.edgeha.recovery.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A typed handle on one connection id: the Java face of the QNX-shaped calls of {@link HaConnections}.
 * It carries the coid and the resource type, so that no call repeats them, and it is
 * {@link AutoCloseable}, so that try-with-resources closes the coid. Every method is the
 * {@link HaConnections} call of the same name on {@link #coid()}, with the same semantics and the same
 * errors ({@link HaException} with the QNX code); the int calls and the handle can be mixed freely on one
 * coid. A handle is obtained from {@link HaConnections#connect}, {@link HaConnections#openFile},
 * {@link HaConnections#createFile}, {@link HaConnections#registerConnection} or, for a coid you already
 * hold (in a recovery function, say), {@link HaConnections#handle}.
 *
 * <p>The seed's {@code ha_attach()} example (connect, make HA-aware, run an operation that recovers
 * transparently), first with the QNX-shaped calls, then with the handle:
 *
 * <pre>{@code
 * int coid = ha.connectAttach("plc-press-1", plc, Duration.ofSeconds(2), null, null, 0);
 * ha.detach(coid);                                          // plain again, as after ConnectAttach
 * ha.attach(coid, reconnect, null, 0);                      // ha_attach(coid, rfn, rhdl, 0)
 * String reply = ha.invoke(coid, SocketChannel.class, channel -> exchange(channel, "READ D100"));
 * ha.close(coid);
 *
 * try (HaConnection<SocketChannel> plc1 = ha.connect("plc-press-1", plc, Duration.ofSeconds(2))) {
 *     plc1.detach();
 *     plc1.attach(reconnect, null);                         // ha_attach(coid, rfn, rhdl, 0)
 *     String reply = plc1.invoke(channel -> exchange(channel, "READ D100"));
 * }                                                         // ha_close(coid)
 * }</pre>
 * where {@code reconnect} is a {@link RecoveryFunction} such as
 * {@code (coid, handle) -> ha.reconnect(coid, null, Duration.ofSeconds(1))}.
 *
 * <p><b>Thread-safety.</b> A handle may be shared between threads and called concurrently, exactly as
 * the {@link HaConnections} calls on its coid. {@link #invoke}, {@link #reconnect} and {@link #reopen}
 * block as their {@link HaConnections} counterparts do; the others return at once. A handle holds no
 * resource of its own beyond the coid: dropping it without {@link #close()} leaves the connection open,
 * as an int coid would.
 *
 * @param <R> the resource type, for example {@code java.nio.channels.SocketChannel}
 * @since 1.1
 */
@ProviderType
public interface HaConnection<R> extends AutoCloseable {

    /** @return the connection id; connection ids are never reused, so a stale handle fails with {@code EBADF} */
    int coid();

    /** @return the resource type the connection holds */
    Class<R> resourceType();

    /**
     * {@link HaConnections#invoke}: runs an operation on the resource under recovery. Blocks for the
     * operation and, when the connection broke, for the recovery.
     *
     * @return the operation's result, from a retry when a recovery succeeded
     * @throws X the operation's original failure (see {@link HaConnections#invoke})
     * @throws HaException {@code EBADF}: the connection is closed
     */
    <T, X extends Exception> T invoke(Operation<R, T, X> operation) throws X, HaException;

    /**
     * {@code ha_dup()} ({@link HaConnections#dup}): a new coid on the same resource that shares this
     * connection's recovery record.
     *
     * @return a handle on the new coid; close it too (the resource is closed with the last duplicate)
     * @throws HaException {@code EBADF}: closed or not HA-aware; {@code ENOMEM}: no room
     */
    HaConnection<R> dup() throws HaException;

    /**
     * {@code ha_attach(coid, function, handle, 0)}: makes the connection HA-aware.
     *
     * @param function the recovery function, or {@code null} for the best matching whiteboard one
     * @param handle passed to the function at each recovery; may be {@code null}
     * @throws HaException {@code EBADF}: closed; {@code EEXIST}: already HA-aware; {@code ENOMEM}: limit reached
     */
    void attach(RecoveryFunction function, Object handle) throws HaException;

    /**
     * {@code ha_attach(coid, function, handle, HAREPLACERECOVERYFN)}: replaces the recovery function (for
     * every duplicate too).
     *
     * @throws HaException {@code EBADF}: closed, or not HA-aware (nothing to replace)
     */
    void replace(RecoveryFunction function, Object handle) throws HaException;

    /**
     * {@code ha_detach()}: no recovery on this coid afterwards.
     *
     * @throws HaException {@code EBADF}: closed or not HA-aware
     */
    void detach() throws HaException;

    /**
     * {@link HaConnections#replace}: installs a new resource and closes the stale one, keeping the coid.
     *
     * @throws HaException {@code EBADF}: closed; {@code EINVAL}: {@code null}
     */
    void replaceResource(R resource) throws HaException;

    /**
     * {@code ha_ReConnectAttach()} ({@link HaConnections#reconnect}): connects a new resource through the
     * connection's type, keeping the coid. Blocks up to {@code timeout}.
     *
     * @param endpoint where to connect; {@code null} for the current endpoint
     * @throws Exception the connect failure; the connection keeps its stale resource
     */
    void reconnect(String endpoint, Duration timeout) throws Exception;

    /**
     * {@code ha_reopen()} ({@link HaConnections#reopen}): opens the same file again, keeping the coid.
     *
     * @throws IOException the open failure
     * @throws HaException {@code EBADF}: closed; {@code EINVAL}: not a file connection
     */
    void reopen() throws IOException, HaException;

    /**
     * {@code ha_connection_ctrl()} ({@link HaConnections#control(int, ControlCommand, int)}).
     *
     * @throws HaException {@code EBADF}: closed or not HA-aware
     */
    void control(ControlCommand command, int value) throws HaException;

    /** {@link ControlCommand#SUSPEND}: failures reach the caller as on a plain connection. */
    default void suspend() throws HaException {
        control(ControlCommand.SUSPEND, 0);
    }

    /** {@link ControlCommand#ENABLE}: recovery on again. */
    default void resume() throws HaException {
        control(ControlCommand.ENABLE, 0);
    }

    /**
     * {@link ControlCommand#ICOUNT}: at most {@code limit} recoveries for one failure (negative = unlimited).
     */
    default void limitRecoveriesPerFailure(int limit) throws HaException {
        control(ControlCommand.ICOUNT, limit);
    }

    /** {@link ControlCommand#ACOUNT}: at most {@code limit} recoveries over the connection's life (negative = unlimited). */
    default void limitRecoveries(int limit) throws HaException {
        control(ControlCommand.ACOUNT, limit);
    }

    /**
     * @return a snapshot of the connection
     * @throws HaException {@code EBADF}: the connection is closed
     */
    ConnectionInfo info() throws HaException;

    /** @return whether the coid is still open (closed through this handle, another one or the int calls) */
    boolean isOpen();

    /**
     * {@link HaConnections#inputStream}: reads through {@link #invoke}; closing the stream leaves the connection open.
     *
     * @throws HaException {@code EBADF}: closed; {@code EINVAL}: not a byte-channel connection
     */
    InputStream inputStream() throws HaException;

    /** Like {@link #inputStream}, for writes. */
    OutputStream outputStream() throws HaException;

    /**
     * {@code ha_close()}: detaches and closes the coid (the resource with the last duplicate). Closing a
     * handle a second time does nothing, as {@link java.io.Closeable} asks; closing a coid that was closed
     * by other means throws {@code EBADF}, as {@link HaConnections#close} does.
     *
     * @throws HaException {@code EBADF}: the coid was closed by other means
     * @throws IOException closing the resource failed (the coid is closed nevertheless)
     */
    @Override
    void close() throws HaException, IOException;
}
