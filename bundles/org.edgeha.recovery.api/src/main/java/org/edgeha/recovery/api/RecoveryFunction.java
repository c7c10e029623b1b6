package org.edgeha.recovery.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Restores a broken connection, after QNX's {@code RFp}: {@code int (*)(int coid, void *rhdl)}.
 *
 * <p>It is called only when an operation on an HA-aware connection failed because the connection broke
 * (see {@link ConnectionType#isConnectionLost}). It repairs the connection in any way it sees fit,
 * usually with {@link HaConnections#reconnect} or {@link HaConnections#reopen}, which keep the coid, and
 * restores the client's own state (a file offset, a login). Returning the same {@code coid} reports
 * success: the failed operation is re-issued and the caller sees only its result. Returning
 * {@link #FAILED} (or any other id), or throwing, makes the caller get the original error at once, with
 * the thrown exception attached as suppressed.
 *
 * <p><b>Threads.</b> A recovery function runs on a thread of the recovery service
 * ({@code edgeha-recovery-N}), never on the caller's: the caller waits for it, at most the service's
 * recovery timeout, after which the caller gets the original error and the function's thread is
 * interrupted. For one connection (and its duplicates) at most one recovery runs at a time; recoveries
 * of different connections may run concurrently, so one function instance must be thread-safe. It may
 * block (sleep between attempts, connect) and should stop when interrupted.
 *
 * <p><b>Whiteboard.</b> Registered as an OSGi service, a recovery function is used for every connection
 * that matches its selector and has no explicitly attached function: {@link #CONNECTION_NAME} (glob
 * patterns over connection names) and/or {@link #CONNECTION_FILTER} (an LDAP filter over the connection's
 * properties: {@code name}, {@code kind}, {@code endpoint}, {@code coid} and those given at
 * registration). At least one is required. The highest {@code service.ranking} wins (then the lowest
 * {@code service.id}); a better service registered later is used from the next recovery on, and when it
 * goes away the next best takes over. A service with bad properties is ignored with a logged reason.
 * {@link RecoveryFunctionProperties} sets these properties on a DS component.
 */
@ConsumerType
@FunctionalInterface
public interface RecoveryFunction {

    /** Return value that reports failure, as in QNX. */
    int FAILED = -1;

    /**
     * Whiteboard property: glob patterns ({@code *}, {@code ?}) over connection names; String or String[].
     * {@code *} selects every connection.
     */
    String CONNECTION_NAME = "edgeha.recovery.connection.name";

    /** Whiteboard property: an LDAP filter over connection properties, for example {@code (kind=tcp)}. */
    String CONNECTION_FILTER = "edgeha.recovery.connection.filter";

    /** Whiteboard property (optional): a short name for the strategy, shown by {@code ha:list}. */
    String STRATEGY = "edgeha.recovery.strategy";

    /**
     * @param coid the broken connection's id
     * @param handle the handle given when the function was attached (may be {@code null}; whiteboard
     *     functions get the handle given to {@link HaConnections#attach} with a {@code null} function)
     * @return {@code coid} when the connection is usable again; {@link #FAILED} otherwise
     * @throws Exception when recovery failed; treated like {@link #FAILED}, attached to the original error
     */
    int recover(int coid, Object handle) throws Exception;
}
