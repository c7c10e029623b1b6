package org.edgeha.recovery.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection recovery service: a table of connections, each with an int id (coid) unique in the
 * runtime, and the QNX {@code ha_*} family over it. Registered once by the recovery bundle.
 *
 * <p><b>Thread-safety.</b> Every method may be called from any thread. Calls that change a connection
 * (attach, detach, control, dup, close, reconnect, reopen, replace) are atomic: they either happen
 * entirely or throw and change nothing. Blocking calls are marked; the others return at once.
 *
 * <p><b>Two faces.</b> The int calls follow QNX's C shape ({@code coid}, {@code flags}); the typed
 * {@link HaConnection} handle ({@link #connect}, {@link #openFile}, {@link #registerConnection},
 * {@link #handle}) carries the coid and the resource type and closes with try-with-resources. Both act on
 * the same table with the same semantics and errors; {@link HaConnection} shows the seed's example both ways.
 *
 * <p><b>Concurrent failures.</b> When several threads' operations on one connection (or its duplicates)
 * fail at once, exactly one recovery runs; the others wait for its outcome and then re-issue their own
 * operations (or get their own original errors if it failed).
 */
@ProviderType
public interface HaConnections {

    /** Flag of {@link #attach}: replace the function and handle of an already HA-aware connection. */
    int REPLACE_RECOVERY_FN = 0x0001;

    // ---- making connections HA-aware ------------------------------------------------------------

    /**
     * {@code ha_attach()}: makes a connection HA-aware.
     *
     * @param coid the connection
     * @param function the recovery function, or {@code null} to use the best matching whiteboard
     *     {@link RecoveryFunction} service at each recovery
     * @param handle passed to the function at each recovery; may be {@code null}
     * @param flags 0 or {@link #REPLACE_RECOVERY_FN}
     * @throws HaException {@code EBADF}: unknown or closed coid, or {@code REPLACE_RECOVERY_FN} on a
     *     connection that is not HA-aware; {@code EEXIST}: already HA-aware without the flag;
     *     {@code ENOMEM}: the limit on HA-aware connections is reached; {@code EINVAL}: unknown flags
     */
    void attach(int coid, RecoveryFunction function, Object handle, int flags) throws HaException;

    /**
     * {@code ha_detach()}: no recovery happens on this coid afterwards. Duplicates keep theirs.
     *
     * @throws HaException {@code EBADF}: unknown coid or not HA-aware
     */
    void detach(int coid) throws HaException;

    /**
     * {@code ha_dup()}: a new coid on the same resource that shares this connection's recovery record
     * (function, limits, counters); replacing the function through either id changes it for both.
     *
     * @return the new coid
     * @throws HaException {@code EBADF}: unknown coid or not HA-aware; {@code ENOMEM}: no room
     */
    int dup(int coid) throws HaException;

    /**
     * {@code ha_close()} / {@code ha_ConnectDetach()} / {@code ha_fclose()}: detaches, then closes. The
     * resource is closed when the last duplicate is closed.
     *
     * @throws HaException {@code EBADF}: unknown or closed coid
     * @throws IOException when closing the resource failed (the coid is closed nevertheless)
     */
    void close(int coid) throws HaException, IOException;

    /**
     * {@code ha_connection_ctrl()}.
     *
     * @param command a {@link ControlCommand} number
     * @param value the limit for {@link ControlCommand#ACOUNT} and {@link ControlCommand#ICOUNT}; ignored
     *     otherwise
     * @throws HaException {@code EBADF}: unknown coid or not HA-aware; {@code EINVAL}: unknown command
     */
    void control(int coid, int command, int value) throws HaException;

    /** {@link #control(int, int, int)} with a typed command. */
    default void control(int coid, ControlCommand command, int value) throws HaException {
        control(coid, command.code(), value);
    }

    // ---- opening HA-aware connections in one call --------------------------------------------------

    /**
     * {@code ha_ConnectAttach()}: connects a TCP socket (TCP_NODELAY on) and attaches. Blocks up to
     * {@code timeout}. Kind {@code tcp}; resource {@code java.nio.channels.SocketChannel} (blocking).
     *
     * @param function as in {@link #attach}; {@code null} for the whiteboard
     * @return the new coid
     * @throws IOException the connect failure (nothing is registered)
     * @throws HaException as {@link #attach}; the socket is closed again
     */
    int connectAttach(String name, InetSocketAddress endpoint, Duration timeout, RecoveryFunction function,
            Object handle, int flags) throws IOException, HaException;

    /**
     * {@code ha_open()}: opens a file and attaches. Kind {@code file}; resource
     * {@code java.nio.channels.FileChannel}.
     *
     * @throws IOException the open failure (nothing is registered)
     * @throws HaException as {@link #attach}; the file is closed again
     */
    int open(Path path, Set<? extends OpenOption> options, RecoveryFunction function, Object handle, int flags)
            throws IOException, HaException;

    /** {@code ha_creat()}: {@link #open} with CREATE, TRUNCATE_EXISTING and WRITE. */
    int creat(Path path, RecoveryFunction function, Object handle, int flags) throws IOException, HaException;

    /**
     * {@code ha_fopen()}: {@link #open} with the options of a C {@code fopen} mode ({@code r}, {@code w},
     * {@code a}, {@code r+}, {@code w+}, {@code a+}); use {@link #inputStream} / {@link #outputStream}
     * for stream access.
     *
     * @throws HaException {@code EINVAL} for an unknown mode, else as {@link #open}
     */
    int fopen(Path path, String mode, RecoveryFunction function, Object handle, int flags)
            throws IOException, HaException;

    /**
     * Registers a connection of another kind (the generic kind), not yet HA-aware: call {@link #attach}.
     *
     * @param properties extra connection properties for whiteboard filters; may be empty
     * @return the new coid
     * @throws HaException {@code ENOMEM}: the limit on connections is reached
     */
    <R> int register(String name, ConnectionType<R> type, R resource, String endpoint,
            Map<String, ?> properties) throws HaException;

    // ---- the typed handle (since 1.1) ---------------------------------------------------------------

    /**
     * A typed handle on an open coid, for example the one a {@link RecoveryFunction} is given. Returns at once.
     *
     * @throws HaException {@code EBADF}: unknown or closed coid; {@code EINVAL}: the connection's resource is
     *     not a {@code type}
     * @since 1.1
     */
    <R> HaConnection<R> handle(int coid, Class<R> type) throws HaException;

    /**
     * {@link #connectAttach} as a typed handle. Blocks up to {@code timeout}.
     *
     * @since 1.1
     */
    default HaConnection<SocketChannel> connect(String name, InetSocketAddress endpoint, Duration timeout,
            RecoveryFunction function, Object handle, int flags) throws IOException, HaException {
        return handleOfNew(connectAttach(name, endpoint, timeout, function, handle, flags), SocketChannel.class);
    }

    /**
     * {@link #connectAttach} as a typed handle, recovered by the best matching whiteboard
     * {@link RecoveryFunction}. Blocks up to {@code timeout}.
     *
     * @since 1.1
     */
    default HaConnection<SocketChannel> connect(String name, InetSocketAddress endpoint, Duration timeout)
            throws IOException, HaException {
        return connect(name, endpoint, timeout, null, null, 0);
    }

    /**
     * {@link #open} as a typed handle.
     *
     * @since 1.1
     */
    default HaConnection<FileChannel> openFile(Path path, Set<? extends OpenOption> options, RecoveryFunction function,
            Object handle, int flags) throws IOException, HaException {
        return handleOfNew(open(path, options, function, handle, flags), FileChannel.class);
    }

    /**
     * {@link #fopen} as a typed handle ({@code mode} as C's {@code fopen}).
     *
     * @since 1.1
     */
    default HaConnection<FileChannel> openFile(Path path, String mode, RecoveryFunction function, Object handle,
            int flags) throws IOException, HaException {
        return handleOfNew(fopen(path, mode, function, handle, flags), FileChannel.class);
    }

    /**
     * {@link #creat} as a typed handle.
     *
     * @since 1.1
     */
    default HaConnection<FileChannel> createFile(Path path, RecoveryFunction function, Object handle, int flags)
            throws IOException, HaException {
        return handleOfNew(creat(path, function, handle, flags), FileChannel.class);
    }

    /**
     * {@link #register} as a typed handle (not yet HA-aware: call {@link HaConnection#attach}).
     *
     * @since 1.1
     */
    default <R> HaConnection<R> registerConnection(String name, ConnectionType<R> type, R resource, String endpoint,
            Map<String, ?> properties) throws HaException {
        return handle(register(name, type, resource, endpoint, properties), type.resourceType());
    }

    /** The handle of a coid just opened here; closes it again if even that fails (it cannot, short of a bug). */
    private <R> HaConnection<R> handleOfNew(int coid, Class<R> type) throws HaException, IOException {
        try {
            return handle(coid, type);
        } catch (HaException | RuntimeException e) {
            close(coid);
            throw e;
        }
    }

    // ---- running operations under recovery ------------------------------------------------------

    /**
     * Runs an operation on the connection's resource under recovery. Blocks for the operation and, when
     * the connection broke, for the recovery (at most the recovery timeout per recovery).
     *
     * @return the operation's result, from a retry when a recovery succeeded
     * @throws X the operation's original failure: when it does not mean the connection broke, when the
     *     connection is not HA-aware or suspended, when a limit is used up, or when recovery failed (the
     *     recovery function's exception, or a timeout, attached as suppressed)
     * @throws HaException {@code EBADF}: unknown or closed coid; {@code EINVAL}: the resource is not a
     *     {@code type}
     */
    <R, T, X extends Exception> T invoke(int coid, Class<R> type, Operation<R, T, X> operation)
            throws X, HaException;

    /**
     * A stream whose reads run through {@link #invoke} on a {@code tcp} or {@code file} connection. It
     * returns -1 at end of stream as usual; closing it does not close the connection.
     *
     * @throws HaException {@code EBADF}: unknown coid; {@code EINVAL}: not a byte-channel connection
     */
    InputStream inputStream(int coid) throws HaException;

    /** Like {@link #inputStream}, for writes. */
    OutputStream outputStream(int coid) throws HaException;

    // ---- helpers for recovery functions ---------------------------------------------------------

    /**
     * {@code ha_ReConnectAttach()}: closes the stale resource and connects a new one through the
     * connection's type, keeping the coid. Blocks up to {@code timeout}.
     *
     * @param endpoint where to connect; {@code null} for the connection's current endpoint
     * @return {@code coid}
     * @throws Exception the connect failure; the connection keeps its stale resource and endpoint
     */
    int reconnect(int coid, String endpoint, Duration timeout) throws Exception;

    /**
     * {@code ha_reopen()}: closes the stale file and opens the same path again with the options it was
     * opened with (less CREATE_NEW and TRUNCATE_EXISTING), keeping the coid. The offset is the caller's
     * to restore.
     *
     * @return {@code coid}
     * @throws IOException the open failure
     * @throws HaException {@code EBADF}: unknown coid; {@code EINVAL}: not a file connection
     */
    int reopen(int coid) throws IOException, HaException;

    /**
     * Installs a new resource for a connection and closes the stale one, keeping the coid (the
     * {@code dup2()} analogue, for kinds that connect on their own).
     *
     * @return {@code coid}
     * @throws HaException {@code EBADF}: unknown coid; {@code EINVAL}: the resource is of the wrong type
     */
    int replace(int coid, Object resource) throws HaException;

    // ---- looking ---------------------------------------------------------------------------------

    /** @return a snapshot of the connection, or empty for an unknown or closed coid */
    Optional<ConnectionInfo> info(int coid);

    /** @return the coid of the open connection with this name (the lowest, if several), or empty */
    Optional<Integer> find(String name);

    /** @return snapshots of every open connection, by coid */
    List<ConnectionInfo> connections();

    /**
     * @return one line per whiteboard {@link RecoveryFunction} service: the valid ones best first, then the
     *     rejected ones with the reason
     */
    List<String> recoveryFunctions();
}
