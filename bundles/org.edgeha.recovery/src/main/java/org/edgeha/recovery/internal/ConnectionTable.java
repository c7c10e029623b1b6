package org.edgeha.recovery.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;

/**
 * The connection ids of the runtime. Ids are never reused (a stale id held by a client must fail with
 * EBADF, not reach someone else's connection). Additions and HA-awareness changes are serialised on
 * this object so the limits hold; lookups are lock-free.
 */
final class ConnectionTable {

    private final Map<Integer, Conn> byId = new ConcurrentHashMap<>();
    private int nextId = 1;
    private int haAware;

    /** @return the open connection, or throws EBADF */
    Conn get(int coid) throws HaException {
        Conn conn = byId.get(coid);
        if (conn == null || conn.closed) {
            throw new HaException(HaError.EBADF, coid, "no open connection " + coid);
        }
        return conn;
    }

    Conn find(int coid) {
        Conn conn = byId.get(coid);
        return conn == null || conn.closed ? null : conn;
    }

    synchronized Conn add(Link link, RecoveryRecord record, int maxConnections, int maxHaAware) throws HaException {
        if (byId.size() >= maxConnections) {
            throw new HaException(HaError.ENOMEM, -1, "the limit of " + maxConnections + " connections is reached");
        }
        if (record != null && haAware >= maxHaAware) {
            throw new HaException(HaError.ENOMEM, -1,
                    "the limit of " + maxHaAware + " HA-aware connections is reached");
        }
        Conn conn = new Conn(nextId++, link, record);
        byId.put(conn.coid, conn);
        if (record != null) {
            haAware++;
        }
        return conn;
    }

    /** Makes a connection HA-aware within the limit; nothing changes when it throws. */
    synchronized void makeHaAware(Conn conn, RecoveryRecord record, int maxHaAware) throws HaException {
        if (haAware >= maxHaAware) {
            throw new HaException(HaError.ENOMEM, conn.coid,
                    "cannot make connection " + conn.coid + " HA-aware: the limit of " + maxHaAware + " is reached");
        }
        conn.record = record;
        haAware++;
    }

    synchronized void makePlain(Conn conn) {
        if (conn.record != null) {
            conn.record = null;
            haAware--;
        }
    }

    synchronized void remove(Conn conn) {
        makePlain(conn);
        conn.closed = true;
        byId.remove(conn.coid);
    }

    List<Conn> all() {
        List<Conn> all = new ArrayList<>(byId.values());
        all.removeIf(c -> c.closed);
        all.sort((a, b) -> Integer.compare(a.coid, b.coid));
        return all;
    }
}
