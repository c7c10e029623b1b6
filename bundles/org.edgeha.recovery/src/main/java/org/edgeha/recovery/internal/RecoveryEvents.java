package org.edgeha.recovery.internal;

import java.util.HashMap;
import java.util.Map;

import org.edgeha.recovery.api.ConnectionInfo;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

/**
 * Logs every recovery and posts it as an OSGi event (asynchronously, so a slow handler never delays a
 * caller): topics {@value #RECOVERED}, {@value #FAILED}, {@value #ATTACHED}, {@value #DETACHED} and
 * {@value #CLOSED}, with properties {@code coid}, {@code name}, {@code kind}, {@code endpoint} and, for
 * recoveries, {@code function}, {@code duration.ms}, {@code outcome}, {@code error}.
 */
final class RecoveryEvents {

    static final String TOPIC_PREFIX = "org/edgeha/recovery/";
    static final String RECOVERED = TOPIC_PREFIX + "RECOVERED";
    static final String FAILED = TOPIC_PREFIX + "FAILED";
    static final String ATTACHED = TOPIC_PREFIX + "ATTACHED";
    static final String DETACHED = TOPIC_PREFIX + "DETACHED";
    static final String CLOSED = TOPIC_PREFIX + "CLOSED";

    private final Logger log;
    private volatile EventAdmin eventAdmin;
    /** Set when the service stops: the recoveries it interrupts are not failures worth a warning or an event. */
    private volatile boolean stopping;

    RecoveryEvents(Logger log) {
        this.log = log;
    }

    /**
     * The service is stopping and interrupts its recoveries. A clean stop with no broker used to print "not recovered
     * ... InterruptedException" and, from an event posted by an interrupted thread, EventAdmin's "Event Task
     * Processing Interrupted" (issue 14).
     */
    void stop() {
        stopping = true;
    }

    void setEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void recovery(Conn conn, RecoveryOutcome outcome) {
        Map<String, Object> properties = base(conn);
        properties.put("function", outcome.function());
        properties.put("duration.ms", outcome.millis());
        properties.put("outcome", outcome.success() ? "recovered" : "failed");
        if (outcome.success()) {
            log.info("Connection {} ({}) recovered by {} in {} ms", conn.coid, conn.link.name, outcome.function(),
                    outcome.millis());
        } else {
            String error = String.valueOf(outcome.failure());
            properties.put("error", error);
            Object[] arguments = {conn.coid, conn.link.name, outcome.function(), outcome.millis(), error};
            if (stopping) {
                log.debug("Connection {} ({}) not recovered by {} after {} ms: {} (the recovery service stops)", arguments);
                return;
            }
            if (conn.link.properties.containsKey(ConnectionInfo.OWNER)) {
                // its owner (the MQTT bridge) says what it means, once per outage or back-off, not once per recovery
                log.info("Connection {} ({}) not recovered by {} after {} ms: {}", arguments);
            } else {
                log.warn("Connection {} ({}) not recovered by {} after {} ms: {}", arguments);
            }
        }
        post(outcome.success() ? RECOVERED : FAILED, properties);
    }

    void lifecycle(String topic, Conn conn, String detail) {
        log.info("Connection {} ({}, {} {}) {}", conn.coid, conn.link.name, conn.link.type.kind(), conn.link.endpoint,
                detail);
        post(topic, base(conn));
    }

    private static Map<String, Object> base(Conn conn) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("coid", conn.coid);
        properties.put("name", conn.link.name);
        properties.put("kind", conn.link.type.kind());
        properties.put("endpoint", conn.link.endpoint);
        return properties;
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null && !stopping && !Thread.currentThread().isInterrupted()) {
            admin.postEvent(new Event(topic, properties));
        }
    }
}
