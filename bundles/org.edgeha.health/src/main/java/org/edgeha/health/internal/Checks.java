package org.edgeha.health.internal;

/** Names and tag of EdgeHA's health checks: shared by the checks, the JSON and the docs. */
final class Checks {

    /** The tag of every EdgeHA check (and of Felix's bundles check as the health feature configures it). */
    static final String TAG = "edgeha";
    static final String MQTT_LINK = "MQTT link connected";
    static final String GS_EPOCH = "Group Services epoch established";
    static final String MQTT_STORE = "MQTT store below limit";
    static final String RECOVERY = "Connections recovered within budget";

    private Checks() {
    }
}
