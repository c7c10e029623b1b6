package org.edgeha.recovery.internal;

/**
 * One connection id: its link (the resource, shared with duplicates) and its recovery record
 * ({@code null} while not HA-aware; shared with duplicates).
 */
final class Conn {

    final int coid;
    final Link link;
    volatile RecoveryRecord record;
    volatile boolean closed;

    Conn(int coid, Link link, RecoveryRecord record) {
        this.coid = coid;
        this.link = link;
        this.record = record;
    }
}
