package org.edgeha.recovery.internal;

import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.edgeha.recovery.api.ConnectionState;
import org.edgeha.recovery.api.ConnectionType;

/**
 * The resource behind one or more connection ids (several after {@code dup}), and the recovery in
 * flight for it. Mutable fields are guarded by this object's monitor; {@link #resource} and
 * {@link #generation} are volatile so that the operation path reads them without the lock.
 */
final class Link {

    final String name;
    final ConnectionType<Object> type;
    final Map<String, Object> properties;
    /** For files: what {@code reopen} opens again. */
    final Path path;
    final Set<? extends OpenOption> openOptions;

    volatile Object resource;
    volatile String endpoint;
    /** Increases with every successful recovery: an operation that began before it just retries. */
    volatile long generation;

    // guarded by this
    CompletableFuture<RecoveryOutcome> inFlight;
    Thread recoveryThread;
    Object recoveringWith;
    ConnectionState state = ConnectionState.OPEN;
    int openIds = 1;

    @SuppressWarnings("unchecked")
    Link(String name, ConnectionType<?> type, Object resource, String endpoint, Map<String, Object> properties,
            Path path, Set<? extends OpenOption> openOptions) {
        this.name = name;
        this.type = (ConnectionType<Object>) type;
        this.resource = resource;
        this.endpoint = endpoint == null ? "" : endpoint;
        this.properties = Map.copyOf(properties);
        this.path = path;
        this.openOptions = openOptions;
    }
}
