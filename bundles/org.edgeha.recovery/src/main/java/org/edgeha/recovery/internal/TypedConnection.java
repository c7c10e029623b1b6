package org.edgeha.recovery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.Operation;
import org.edgeha.recovery.api.RecoveryFunction;

/**
 * The typed handle: every call is the service's int call on the coid, so that both faces share one
 * implementation of the semantics. Holds only the coid, the type and whether it closed itself.
 */
final class TypedConnection<R> implements HaConnection<R> {

    private final HaConnections service;
    private final int coid;
    private final Class<R> type;
    private final AtomicBoolean closedHere = new AtomicBoolean();

    TypedConnection(HaConnections service, int coid, Class<R> type) {
        this.service = service;
        this.coid = coid;
        this.type = type;
    }

    @Override
    public int coid() {
        return coid;
    }

    @Override
    public Class<R> resourceType() {
        return type;
    }

    @Override
    public <T, X extends Exception> T invoke(Operation<R, T, X> operation) throws X, HaException {
        return service.invoke(coid, type, operation);
    }

    @Override
    public HaConnection<R> dup() throws HaException {
        return new TypedConnection<>(service, service.dup(coid), type);
    }

    @Override
    public void attach(RecoveryFunction function, Object handle) throws HaException {
        service.attach(coid, function, handle, 0);
    }

    @Override
    public void replace(RecoveryFunction function, Object handle) throws HaException {
        service.attach(coid, function, handle, HaConnections.REPLACE_RECOVERY_FN);
    }

    @Override
    public void detach() throws HaException {
        service.detach(coid);
    }

    @Override
    public void replaceResource(R resource) throws HaException {
        service.replace(coid, resource);
    }

    @Override
    public void reconnect(String endpoint, Duration timeout) throws Exception {
        service.reconnect(coid, endpoint, timeout);
    }

    @Override
    public void reopen() throws IOException, HaException {
        service.reopen(coid);
    }

    @Override
    public void control(ControlCommand command, int value) throws HaException {
        service.control(coid, command, value);
    }

    @Override
    public ConnectionInfo info() throws HaException {
        return service.info(coid).orElseThrow(() -> new HaException(HaError.EBADF, coid, "no open connection " + coid));
    }

    @Override
    public boolean isOpen() {
        return service.info(coid).isPresent();
    }

    @Override
    public InputStream inputStream() throws HaException {
        return service.inputStream(coid);
    }

    @Override
    public OutputStream outputStream() throws HaException {
        return service.outputStream(coid);
    }

    @Override
    public void close() throws HaException, IOException {
        if (closedHere.compareAndSet(false, true)) {
            service.close(coid);
        }
    }

    @Override
    public String toString() {
        return "HaConnection[coid " + coid + ", " + type.getSimpleName() + "]";
    }
}
