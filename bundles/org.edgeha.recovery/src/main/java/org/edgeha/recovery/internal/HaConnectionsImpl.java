package org.edgeha.recovery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ConnectionState;
import org.edgeha.recovery.api.ConnectionType;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.Operation;
import org.edgeha.recovery.api.RecoveryFunction;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/** The connection recovery service. See {@link HaConnections} for the contract. */
@Component(service = HaConnections.class, configurationPid = HaConnectionsImpl.PID)
@Designate(ocd = RecoveryConfig.class)
public class HaConnectionsImpl implements HaConnections {

    static final String PID = "org.edgeha.recovery";

    private final Logger log;
    private final ConnectionTable table = new ConnectionTable();
    private final RecoveryWhiteboard whiteboard;
    private final RecoveryEvents events;
    private final ExecutorService executor;
    private final Recoverer recoverer;
    private final TcpType tcp;
    private final FileType file;
    private volatile RecoveryConfig config;
    private volatile LostClassifier tcpLost;
    private volatile LostClassifier fileLost;

    @Activate
    public HaConnectionsImpl(RecoveryConfig config, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.whiteboard = new RecoveryWhiteboard(log);
        this.events = new RecoveryEvents(log);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edgeha-recovery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.recoverer = new Recoverer(executor, () -> this.config.recovery_timeout_ms(), this::choose, events::recovery);
        this.tcp = new TcpType(() -> tcpLost);
        this.file = new FileType(() -> fileLost);
        modified(config);
    }

    @Modified
    void modified(RecoveryConfig config) {
        this.config = config;
        this.tcpLost = new LostClassifier(config.tcp_lost_exceptions(), config.lost_messages(), config.timeout_is_lost());
        this.fileLost = new LostClassifier(config.file_lost_exceptions(), config.lost_messages(), config.timeout_is_lost());
        log.info("Recovery limits: {} HA-aware of {} connections, timeout {} ms; tcp lost on {}", config.max_ha_connections(),
                config.max_connections(), config.recovery_timeout_ms(), tcpLost);
    }

    /**
     * The service outside OSGi with its default configuration, for {@code StandaloneHaConnections} (the
     * exported way in); {@link #deactivate} stops it.
     */
    public static HaConnectionsImpl withDefaults(Logger log) {
        RecoveryConfig defaults = (RecoveryConfig) Proxy.newProxyInstance(RecoveryConfig.class.getClassLoader(),
                new Class<?>[] {RecoveryConfig.class}, (proxy, method, args) -> method.getDefaultValue());
        return new HaConnectionsImpl(defaults, log);
    }

    /** Public for {@code StandaloneHaConnections.stop}; in OSGi, DS calls it. */
    @Deactivate
    public void deactivate() {
        events.stop();
        executor.shutdownNow();
        for (Conn conn : table.all()) {
            try {
                close(conn.coid);
            } catch (HaException | IOException e) {
                log.warn("Closing connection {} on shutdown failed: {}", conn.coid, e.toString());
            }
        }
    }

    // ---- whiteboard -------------------------------------------------------------------------------

    @Reference(service = RecoveryFunction.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addRecoveryFunction(RecoveryFunction function, ServiceReference<RecoveryFunction> reference) {
        whiteboard.add(reference, function);
    }

    void updatedRecoveryFunction(RecoveryFunction function, ServiceReference<RecoveryFunction> reference) {
        whiteboard.modified(reference, function);
    }

    void removeRecoveryFunction(RecoveryFunction function, ServiceReference<RecoveryFunction> reference) {
        whiteboard.remove(reference);
        // A recovery running with it must finish or fail cleanly, never hang on a departed bundle.
        for (Conn conn : table.all()) {
            recoverer.interruptIfRunning(conn.link, function);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin eventAdmin) {
        events.setEventAdmin(eventAdmin);
    }

    void unsetEventAdmin(EventAdmin eventAdmin) {
        events.setEventAdmin(null);
    }

    private Recoverer.Choice choose(Conn conn) {
        RecoveryRecord record = conn.record;
        RecoveryFunction explicit;
        synchronized (Objects.requireNonNull(record)) {
            explicit = record.function;
        }
        if (explicit != null) {
            return new Recoverer.Choice(explicit, "explicit " + explicit.getClass().getName());
        }
        WhiteboardEntry best = whiteboard.best(conn.link.name, properties(conn));
        return best == null
                ? new Recoverer.Choice(null, "whiteboard: no recovery function matches")
                : new Recoverer.Choice(best.function, best.description);
    }

    @Override
    public List<String> recoveryFunctions() {
        return whiteboard.describeAll();
    }

    private static Map<String, Object> properties(Conn conn) {
        Map<String, Object> properties = new HashMap<>(conn.link.properties);
        properties.put(ConnectionInfo.NAME, conn.link.name);
        properties.put(ConnectionInfo.KIND, conn.link.type.kind());
        properties.put(ConnectionInfo.ENDPOINT, conn.link.endpoint);
        properties.put(ConnectionInfo.COID, conn.coid);
        return properties;
    }

    // ---- HA-awareness -----------------------------------------------------------------------------

    @Override
    public void attach(int coid, RecoveryFunction function, Object handle, int flags) throws HaException {
        if ((flags & ~REPLACE_RECOVERY_FN) != 0) {
            throw new HaException(HaError.EINVAL, coid, "unknown flags 0x" + Integer.toHexString(flags) + " for connection " + coid);
        }
        Conn conn = table.get(coid);
        synchronized (conn) {
            RecoveryRecord record = conn.record;
            if ((flags & REPLACE_RECOVERY_FN) != 0) {
                if (record == null) {
                    throw new HaException(HaError.EBADF, coid, "connection " + coid + " has no recovery function to replace");
                }
                synchronized (record) {
                    record.function = function;
                    record.handle = handle;
                }
                events.lifecycle(RecoveryEvents.ATTACHED, conn, "recovery function replaced");
                return;
            }
            if (record != null) {
                throw new HaException(HaError.EEXIST, coid, "connection " + coid + " is already HA-aware");
            }
            table.makeHaAware(conn, new RecoveryRecord(function, handle), config.max_ha_connections());
        }
        events.lifecycle(RecoveryEvents.ATTACHED, conn, "is HA-aware");
    }

    @Override
    public void detach(int coid) throws HaException {
        Conn conn = table.get(coid);
        synchronized (conn) {
            RecoveryRecord record = conn.record;
            if (record == null) {
                throw new HaException(HaError.EBADF, coid, "connection " + coid + " is not HA-aware");
            }
            table.makePlain(conn);
            synchronized (record) {
                record.references--;
            }
        }
        events.lifecycle(RecoveryEvents.DETACHED, conn, "is no longer HA-aware");
    }

    @Override
    public int dup(int coid) throws HaException {
        Conn conn = table.get(coid);
        synchronized (conn) {
            RecoveryRecord record = conn.record;
            if (record == null) {
                throw new HaException(HaError.EBADF, coid, "connection " + coid + " is not HA-aware");
            }
            Conn copy = table.add(conn.link, record, config.max_connections(), config.max_ha_connections());
            synchronized (record) {
                record.references++;
            }
            synchronized (conn.link) {
                conn.link.openIds++;
            }
            return copy.coid;
        }
    }

    @Override
    public void close(int coid) throws HaException, IOException {
        Conn conn = table.get(coid);
        boolean last;
        synchronized (conn) {
            if (conn.closed) {
                throw new HaException(HaError.EBADF, coid, "connection " + coid + " is closed");
            }
            RecoveryRecord record = conn.record;
            if (record != null) {
                synchronized (record) {
                    record.references--;
                }
            }
            table.remove(conn);
            synchronized (conn.link) {
                last = --conn.link.openIds == 0;
                if (last) {
                    conn.link.state = ConnectionState.CLOSED;
                }
            }
        }
        events.lifecycle(RecoveryEvents.CLOSED, conn, last ? "closed" : "closed (duplicates stay open)");
        if (last) {
            try {
                conn.link.type.close(conn.link.resource);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("closing connection " + coid + " failed: " + e, e);
            }
        }
    }

    @Override
    public void control(int coid, int command, int value) throws HaException {
        Conn conn = table.get(coid);
        ControlCommand cmd = ControlCommand.ofCode(command);
        if (cmd == null) {
            throw new HaException(HaError.EINVAL, coid, "unknown control command " + command + " for connection " + coid);
        }
        RecoveryRecord record = conn.record;
        if (record == null) {
            throw new HaException(HaError.EBADF, coid, "connection " + coid + " is not HA-aware");
        }
        synchronized (record) {
            switch (cmd) {
                case ACOUNT -> record.acountLimit = value;
                case ICOUNT -> record.icountLimit = value;
                case SUSPEND -> record.suspended = true;
                case ENABLE -> record.suspended = false;
                case RESET_ICOUNT -> record.icount = 0;
                case RESET_ACOUNT -> record.acount = 0;
                default -> throw new IllegalStateException(cmd.name());
            }
        }
        log.info("Connection {}: {} {}", coid, cmd, value);
    }

    // ---- opening ----------------------------------------------------------------------------------

    @Override
    public int connectAttach(String name, InetSocketAddress endpoint, Duration timeout, RecoveryFunction function,
            Object handle, int flags) throws IOException, HaException {
        SocketChannel channel = TcpType.connect(endpoint, timeout);
        return addAttached(new Link(name, tcp, channel, TcpType.format(endpoint), Map.of(), null, null),
                function, handle, flags);
    }

    @Override
    public int open(Path path, Set<? extends OpenOption> options, RecoveryFunction function, Object handle, int flags)
            throws IOException, HaException {
        FileChannel channel = FileChannel.open(path, options);
        return addAttached(new Link(path.getFileName() == null ? path.toString() : path.getFileName().toString(),
                file, channel, path.toString(), Map.of(), path, Set.copyOf(options)), function, handle, flags);
    }

    @Override
    public int creat(Path path, RecoveryFunction function, Object handle, int flags) throws IOException, HaException {
        return open(path, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), function, handle, flags);
    }

    @Override
    public int fopen(Path path, String mode, RecoveryFunction function, Object handle, int flags)
            throws IOException, HaException {
        Set<StandardOpenOption> options = FileType.fopenOptions(mode);
        if (options == null) {
            throw new HaException(HaError.EINVAL, -1, "unknown fopen mode '" + mode + "' for " + path);
        }
        return open(path, options, function, handle, flags);
    }

    /** Registers and attaches in one step; closes the resource again when either fails. */
    private int addAttached(Link link, RecoveryFunction function, Object handle, int flags) throws HaException {
        try {
            if ((flags & ~REPLACE_RECOVERY_FN) != 0) {
                throw new HaException(HaError.EINVAL, -1, "unknown flags 0x" + Integer.toHexString(flags));
            }
            Conn conn = table.add(link, new RecoveryRecord(function, handle), config.max_connections(),
                    config.max_ha_connections());
            events.lifecycle(RecoveryEvents.ATTACHED, conn, "opened, HA-aware");
            return conn.coid;
        } catch (HaException | RuntimeException e) {
            closeQuietly(link.type, link.resource);
            throw e;
        }
    }

    @Override
    public <R> int register(String name, ConnectionType<R> type, R resource, String endpoint, Map<String, ?> properties)
            throws HaException {
        if (name == null || type == null || resource == null || !type.resourceType().isInstance(resource)) {
            throw new HaException(HaError.EINVAL, -1, "register needs a name, a type and a resource of that type");
        }
        Conn conn = table.add(new Link(name, type, resource, endpoint, Map.copyOf(properties), null, null), null,
                config.max_connections(), config.max_ha_connections());
        log.info("Connection {} ({}, {} {}) registered", conn.coid, name, type.kind(), endpoint);
        return conn.coid;
    }

    @Override
    public <R> HaConnection<R> handle(int coid, Class<R> type) throws HaException {
        Conn conn = table.get(coid);
        if (type == null || !type.isAssignableFrom(conn.link.type.resourceType())) {
            throw new HaException(HaError.EINVAL, coid, "connection " + coid + " holds a "
                    + conn.link.type.resourceType().getName() + ", not a " + (type == null ? "null" : type.getName()));
        }
        return new TypedConnection<>(this, coid, type);
    }

    // ---- operations -------------------------------------------------------------------------------

    @Override
    public <R, T, X extends Exception> T invoke(int coid, Class<R> type, Operation<R, T, X> operation)
            throws X, HaException {
        Conn conn = table.get(coid);
        Link link = conn.link;
        if (!type.isAssignableFrom(link.type.resourceType())) {
            throw new HaException(HaError.EINVAL, coid, "connection " + coid + " holds a " + link.type.resourceType().getName()
                    + ", not a " + type.getName());
        }
        while (true) {
            long generation = link.generation;
            try {
                T result = operation.apply(type.cast(link.resource));
                RecoveryRecord record = conn.record;
                if (record != null) {
                    record.operationSucceeded();
                }
                return result;
            } catch (Exception failure) {
                RecoveryRecord record = conn.record;
                if (record == null || conn.closed || !link.type.isConnectionLost(failure)) {
                    throw HaConnectionsImpl.<X>asThrown(failure);
                }
                RecoveryOutcome outcome = recoverer.recover(conn, record, generation);
                if (!outcome.success()) {
                    if (outcome.failure() != null && outcome.failure() != failure) {
                        failure.addSuppressed(outcome.failure());
                    }
                    throw HaConnectionsImpl.<X>asThrown(failure);
                }
                // recovered: re-issue the operation on the new resource
            }
        }
    }

    /** The operation declares X; any checked exception it threw is an X (or unchecked). */
    @SuppressWarnings("unchecked")
    private static <X extends Exception> X asThrown(Exception failure) {
        return (X) failure;
    }

    @Override
    public InputStream inputStream(int coid) throws HaException {
        requireByteChannel(coid);
        return new ChannelStreams.In(this, coid);
    }

    @Override
    public OutputStream outputStream(int coid) throws HaException {
        requireByteChannel(coid);
        return new ChannelStreams.Out(this, coid);
    }

    private void requireByteChannel(int coid) throws HaException {
        if (!ByteChannel.class.isAssignableFrom(table.get(coid).link.type.resourceType())) {
            throw new HaException(HaError.EINVAL, coid, "connection " + coid + " is not a byte channel");
        }
    }

    // ---- helpers for recovery functions -------------------------------------------------------------

    @Override
    public int reconnect(int coid, String endpoint, Duration timeout) throws Exception {
        Link link = table.get(coid).link;
        String target = endpoint == null || endpoint.isBlank() ? link.endpoint : endpoint;
        Object fresh = link.type.connect(target, timeout);
        install(link, fresh, target);
        return coid;
    }

    @Override
    public int reopen(int coid) throws IOException, HaException {
        Link link = table.get(coid).link;
        if (link.path == null) {
            throw new HaException(HaError.EINVAL, coid, "connection " + coid + " is not a file");
        }
        install(link, FileChannel.open(link.path, FileType.reopenOptions(link.openOptions)), link.endpoint);
        return coid;
    }

    @Override
    public int replace(int coid, Object resource) throws HaException {
        Link link = table.get(coid).link;
        if (resource == null || !link.type.resourceType().isInstance(resource)) {
            throw new HaException(HaError.EINVAL, coid, "connection " + coid + " needs a " + link.type.resourceType().getName());
        }
        install(link, resource, link.endpoint);
        return coid;
    }

    private void install(Link link, Object fresh, String endpoint) {
        Object stale;
        synchronized (link) {
            stale = link.resource;
            link.resource = fresh;
            link.endpoint = endpoint;
        }
        if (stale != fresh) {
            closeQuietly(link.type, stale);
        }
    }

    private void closeQuietly(ConnectionType<Object> type, Object resource) {
        try {
            type.close(resource);
        } catch (Exception e) {
            log.debug("Closing a stale {} resource failed: {}", type.kind(), e.toString());
        }
    }

    // ---- looking ----------------------------------------------------------------------------------

    @Override
    public Optional<ConnectionInfo> info(int coid) {
        Conn conn = table.find(coid);
        return conn == null ? Optional.empty() : Optional.of(describe(conn));
    }

    @Override
    public Optional<Integer> find(String name) {
        return table.all().stream().filter(c -> c.link.name.equals(name)).map(c -> c.coid).findFirst();
    }

    @Override
    public List<ConnectionInfo> connections() {
        return table.all().stream().map(this::describe).collect(Collectors.toList());
    }

    private ConnectionInfo describe(Conn conn) {
        Link link = conn.link;
        ConnectionState state;
        synchronized (link) {
            state = conn.closed ? ConnectionState.CLOSED : link.state;
        }
        RecoveryRecord record = conn.record;
        if (record == null) {
            return new ConnectionInfo(conn.coid, link.name, link.type.kind(), link.endpoint, state, false, false, "none",
                    0, 0, -1, -1, 0, -1, 0, 0, properties(conn));
        }
        String function = choose(conn).description();
        synchronized (record) {
            return new ConnectionInfo(conn.coid, link.name, link.type.kind(), link.endpoint, state, true,
                    record.suspended, function, record.succeeded, record.failed, record.lastRecoveryMillis,
                    record.icountLimit, record.icount, record.acountLimit, record.acount, record.references,
                    properties(conn));
        }
    }
}
