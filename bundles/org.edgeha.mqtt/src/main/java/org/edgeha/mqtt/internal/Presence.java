package org.edgeha.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.osgi.service.log.Logger;

/**
 * This gateway's presence in its domain and what it knows of the others': the incarnation (persisted), the
 * retained status messages of every node, and the listeners told of changes. Status messages are read on the
 * bridge's delivery thread; the incarnation is decided on the link thread after each connect, once the
 * retained statuses have arrived. Thread-safe.
 */
final class Presence {

    /** One node's status message. */
    record Status(int node, long incarnation, boolean online) {
    }

    /** The schema name of a node status (docs/asyncapi.yaml, NodeStatus); its version is after the slash. */
    static final String SCHEMA = "edgeha.node-status/1";
    private static final String SCHEMA_NAME = "edgeha.node-status/";
    /** Generous for re-serialised statuses (whitespace, other field orders); a real one has about 110 bytes. */
    private static final int MAX_STATUS_BYTES = 1024;
    private static final JsonProvider JSON = JsonProvider.provider();

    private final int node;
    private final Path incarnationFile;
    private final Logger log;
    private final Map<Integer, Status> latest = new TreeMap<>();
    private final CopyOnWriteArrayList<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private long incarnation;
    /**
     * The incarnations this home announced: the one recorded before this start (0 when none was) and every one since.
     * A status naming one of them is ours, not another gateway's.
     */
    private final java.util.Set<Long> ownIncarnations = new java.util.HashSet<>();
    private boolean declaredDead;
    private boolean connected;
    private long connectionEpoch;
    private final java.util.function.Consumer<Runnable> later;
    private final Runnable declaredDeadWhileConnected;

    /** An incarnation this close to {@link Long#MAX_VALUE} cannot grow for long: a damaged incarnation file. */
    private static final long NO_ROOM = 1L << 40;

    /** How long a live offline status waits for the connection to prove that the broker is not shutting down. */
    static final long OFFLINE_GRACE_MS = 300;

    /**
     * @param later runs a task on the delivery thread after {@link #OFFLINE_GRACE_MS}
     * @param declaredDeadWhileConnected called when an offline status for this very incarnation counts while
     *     connected: the connection must be made again, as a new incarnation
     */
    Presence(int node, Path incarnationFile, Logger log, java.util.function.Consumer<Runnable> later,
            Runnable declaredDeadWhileConnected) {
        this.node = node;
        this.incarnationFile = incarnationFile;
        this.log = log;
        this.later = later;
        this.declaredDeadWhileConnected = declaredDeadWhileConnected;
        long previous = read(incarnationFile, log);
        this.incarnation = next(previous);
        ownIncarnations.add(previous);
        ownIncarnations.add(incarnation);
        write();
    }

    /**
     * @return whether a status for this node number is this home's own, now or from its previous start (a status
     *     that a gateway which crashed a moment ago left online); anything else online is another gateway's
     */
    synchronized boolean isOwn(long announcedIncarnation) {
        return ownIncarnations.contains(announcedIncarnation);
    }

    /**
     * A status message as JSON (docs/mqtt-api.md): {@code schema}, {@code ts} (now, this gateway's clock; in a will
     * the time of the connect, when the will is written), {@code node}, {@code incarnation}, {@code state}.
     */
    static byte[] format(int node, long incarnation, String state) {
        return JSON.createObjectBuilder().add("schema", SCHEMA).add("ts", System.currentTimeMillis()).add("node", node)
                .add("incarnation", incarnation).add("state", state).build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a status with the JSON parser: any valid JSON object with these fields, in any order and layout, unknown
     * fields ignored. {@code schema} and {@code ts} may be missing (statuses retained by gateways older than the
     * contract); a {@code schema} of another name is refused.
     *
     * @return the status, or empty when it is not one
     */
    static Optional<Status> parse(byte[] payload) {
        if (payload.length > MAX_STATUS_BYTES) {
            return Optional.empty();
        }
        try (JsonReader reader = JSON.createReader(new java.io.ByteArrayInputStream(payload))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject o)) {
                return Optional.empty();
            }
            if (o.containsKey("schema") && !(o.get("schema") instanceof JsonString schema
                    && schema.getString().startsWith(SCHEMA_NAME))) {
                return Optional.empty();
            }
            if (o.containsKey("ts") && !(o.get("ts") instanceof JsonNumber)) {
                return Optional.empty();
            }
            if (!(o.get("node") instanceof JsonNumber n) || !(o.get("incarnation") instanceof JsonNumber inc)
                    || !(o.get("state") instanceof JsonString state)) {
                return Optional.empty();
            }
            // every node number (1 to Integer.MAX_VALUE) and incarnation (positive long) a gateway can have
            if (!whole(n) || !whole(inc)) {
                return Optional.empty();
            }
            java.math.BigInteger node = n.bigIntegerValue();
            java.math.BigInteger incarnation = inc.bigIntegerValue();
            if (node.signum() <= 0 || node.bitLength() > 31 || incarnation.signum() <= 0 || incarnation.bitLength() > 63) {
                return Optional.empty();
            }
            boolean online = "online".equals(state.getString());
            if (!online && !"offline".equals(state.getString())) {
                return Optional.empty();
            }
            return Optional.of(new Status(node.intValue(), incarnation.longValue(), online));
        } catch (JsonException | IllegalStateException | ArithmeticException notJson) {
            return Optional.empty();
        }
    }

    /** A whole number of at most 19 digits (checked before any conversion: {@code 1e999999999} is no node number). */
    private static boolean whole(JsonNumber n) {
        java.math.BigDecimal d = n.bigDecimalValue();
        return d.scale() == 0 && d.precision() <= 19;
    }

    /**
     * The incarnation of a conflict notice ({@link NodeProbe#announceConflict}): a node status with state
     * {@code conflict}.
     */
    static Optional<Long> conflictIncarnation(byte[] payload) {
        if (payload.length > MAX_STATUS_BYTES) {
            return Optional.empty();
        }
        try (JsonReader reader = JSON.createReader(new java.io.ByteArrayInputStream(payload))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject o && o.get("incarnation") instanceof JsonNumber inc && whole(inc)
                    && inc.bigIntegerValue().signum() > 0 && inc.bigIntegerValue().bitLength() <= 63) {
                return Optional.of(inc.longValue());
            }
            return Optional.empty();
        } catch (JsonException | IllegalStateException notJson) {
            return Optional.empty();
        }
    }

    /** Strictly above the last one, and above the clock, so that a lost data folder cannot bring an old one back. */
    private static long next(long last) {
        return Math.max(last + 1, System.currentTimeMillis());
    }

    private static long read(Path file, Logger log) {
        try {
            long last = Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
            if (last > Long.MAX_VALUE - NO_ROOM) {
                log.warn("Incarnation file {} holds {}, too close to the largest number to grow; starting from the "
                        + "clock", file, last);
                return 0;
            }
            return last;
        } catch (IOException | NumberFormatException e) {
            log.warn("Incarnation file {} unreadable ({}); starting from the clock", file, e.toString());
            return 0;
        }
    }

    private void write() {
        try {
            Files.createDirectories(incarnationFile.getParent(), StoreFiles.ownerOnly(incarnationFile.getParent(), true));
            Path tmp = incarnationFile.resolveSibling(incarnationFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.write(Files.createFile(tmp, StoreFiles.ownerOnly(tmp, false)),
                    Long.toString(incarnation).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Files.move(tmp, incarnationFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Incarnation {} not persisted to {}: {} (the clock keeps the next one higher)", incarnation,
                    incarnationFile, e.toString());
        }
    }

    synchronized long incarnation() {
        return incarnation;
    }

    /**
     * A status message arrived (delivery thread). A retained one is the broker's record and counts at once. A
     * live {@code offline} counts only if this connection is still up {@link #OFFLINE_GRACE_MS} later: a broker
     * that shuts down ends every session and so publishes every will just before it closes the connections,
     * and a broker restart must not look like the death of every gateway. (If the peer really died, its status
     * is gone from a broker restarted without persistence, or says offline in one restarted with it.)
     *
     * @return false when it was malformed
     */
    boolean arrived(InboundMessage message) {
        if (message.payload().length == 0) {
            return true; // a retained status cleared by an operator
        }
        Optional<Status> parsed = parse(message.payload());
        if (parsed.isEmpty() || !message.topic().endsWith("/" + parsed.get().node() + "/status")) {
            return false;
        }
        Status s = parsed.get();
        if (!s.online() && !message.retained()) {
            long epoch;
            synchronized (this) {
                epoch = connectionEpoch;
            }
            later.accept(() -> {
                synchronized (this) {
                    if (epoch != connectionEpoch) {
                        return; // the connection dropped meanwhile: the broker went down; re-read at the reconnect
                    }
                }
                apply(s);
            });
            return true;
        }
        apply(s);
        return true;
    }

    private void apply(Status s) {
        Map<Integer, Long> view = null;
        boolean zombie = false;
        synchronized (this) {
            if (s.node() == node) {
                if (!s.online() && s.incarnation() >= incarnation) {
                    declaredDead = true; // our will was published: the peers failed this incarnation
                    zombie = connected;
                } else if (s.online() && s.incarnation() > incarnation) {
                    log.error("Another gateway announces itself as node {} (incarnation {} > ours {}): every node number"
                            + " must be unique in the domain", node, s.incarnation(), incarnation);
                }
            } else {
                Status old = latest.get(s.node());
                boolean newer = old == null || s.incarnation() > old.incarnation()
                        || (s.incarnation() == old.incarnation() && old.online() && !s.online());
                if (newer && !s.equals(old)) {
                    latest.put(s.node(), s);
                    view = onlineView(true);
                }
            }
        }
        if (zombie) {
            declaredDeadWhileConnected.run();
        }
        if (view != null) {
            Map<Integer, Long> v = view;
            each(l -> l.presence(v));
        }
    }

    /** The connection is up and announced (link thread). */
    synchronized void connectionUp() {
        connected = true;
    }

    /** The connection is gone: live offline statuses still in their grace period no longer count. */
    synchronized void connectionDown() {
        connected = false;
        connectionEpoch++;
    }

    /**
     * After a connect, once the retained statuses are in (link thread).
     *
     * @return whether the incarnation changed (then the connection must be made again, so that its will
     *     names the new one)
     */
    synchronized boolean settleIncarnation() {
        if (!declaredDead) {
            return false;
        }
        long old = incarnation;
        incarnation = next(incarnation);
        ownIncarnations.add(incarnation);
        declaredDead = false;
        write();
        log.warn("This gateway (node {}) was declared failed by its peers while away; it continues as incarnation {}"
                + " (was {})", node, incarnation, old);
        return true;
    }

    /** A new incarnation at once (a user of the bridge starts afresh). */
    synchronized long renew() {
        incarnation = next(incarnation);
        ownIncarnations.add(incarnation);
        declaredDead = false;
        write();
        return incarnation;
    }

    synchronized Map<Integer, Long> onlineView(boolean includeSelf) {
        Map<Integer, Long> view = new TreeMap<>();
        latest.values().stream().filter(Status::online).forEach(s -> view.put(s.node(), s.incarnation()));
        if (includeSelf) {
            view.put(node, incarnation);
        }
        return Map.copyOf(view);
    }

    void add(PresenceListener listener) {
        listeners.add(listener);
    }

    void remove(PresenceListener listener) {
        listeners.remove(listener);
    }

    void connected(boolean resumed) {
        long inc = incarnation();
        Map<Integer, Long> view = onlineView(true);
        each(l -> {
            l.connected(inc, resumed);
            l.presence(view);
        });
    }

    void disconnected() {
        each(PresenceListener::disconnected);
    }

    /** A listener that throws is logged; the others are still told. */
    private void each(java.util.function.Consumer<PresenceListener> call) {
        for (PresenceListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("Presence listener {} failed: {}", l, e.toString());
            }
        }
    }
}
