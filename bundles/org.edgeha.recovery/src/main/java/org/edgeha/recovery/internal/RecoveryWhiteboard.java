package org.edgeha.recovery.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.edgeha.recovery.api.RecoveryFunction;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

/**
 * The whiteboard {@link RecoveryFunction} services: valid ones best first, rejected ones with the reason.
 * Thread-safe: DS adds and removes services on its threads while recoveries choose on theirs.
 */
final class RecoveryWhiteboard {

    private final ConcurrentSkipListSet<WhiteboardEntry> valid = new ConcurrentSkipListSet<>();
    private final Map<ServiceReference<?>, String> rejected = new ConcurrentHashMap<>();
    private final Logger log;

    RecoveryWhiteboard(Logger log) {
        this.log = log;
    }

    void add(ServiceReference<RecoveryFunction> reference, RecoveryFunction function) {
        try {
            WhiteboardEntry entry = WhiteboardEntry.of(reference, function);
            valid.add(entry);
            log.info("Recovery function registered: {}", entry.description);
        } catch (IllegalArgumentException e) {
            // Never thrown at the registrant: logged and listed by ha:functions.
            rejected.put(reference, e.getMessage());
            log.warn("Recovery function {} ignored: {}", WhiteboardEntry.describe(reference), e.getMessage());
        }
    }

    /** @return the entry removed, or {@code null} if it had been rejected */
    WhiteboardEntry remove(ServiceReference<RecoveryFunction> reference) {
        rejected.remove(reference);
        for (WhiteboardEntry entry : valid) {
            if (entry.reference.equals(reference)) {
                valid.remove(entry);
                log.info("Recovery function unregistered: {}", entry.description);
                return entry;
            }
        }
        return null;
    }

    /** Re-reads a service whose properties changed (ranking or selector). */
    void modified(ServiceReference<RecoveryFunction> reference, RecoveryFunction function) {
        remove(reference);
        add(reference, function);
    }

    /** @return the best matching entry, or {@code null} */
    WhiteboardEntry best(String connectionName, Map<String, Object> connectionProperties) {
        for (WhiteboardEntry entry : valid) {
            if (entry.matches(connectionName, connectionProperties)) {
                return entry;
            }
        }
        return null;
    }

    List<String> describeAll() {
        List<String> lines = new ArrayList<>();
        valid.forEach(e -> lines.add(e.description));
        rejected.forEach((ref, why) -> lines.add("REJECTED " + WhiteboardEntry.describe(ref) + ": " + why));
        return lines;
    }
}
