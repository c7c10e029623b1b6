package org.edgeha.itests;

import org.edgeha.testing.broker.BrokerFixture;

/**
 * A private Mosquitto for Pax Exam tests, started by {@code @Configuration} outside the framework. Only that code
 * touches this class: the fixture is not a bundle, so the test probe inside the framework must never load it (it
 * reads the broker's URI from the system property {@value #URI_PROPERTY}; the native container runs in one JVM).
 */
final class ExamBroker {

    static final String URI_PROPERTY = "edgeha.itest.broker";

    private ExamBroker() {
    }

    /** Starts a broker that lives as long as the test JVM (the fixture's shutdown hook stops it). */
    static String start() {
        String uri = BrokerFixture.start().uri();
        System.setProperty(URI_PROPERTY, uri);
        return uri;
    }
}
