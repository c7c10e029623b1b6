package org.edgeha.itests;

import java.util.function.Consumer;

import org.edgeha.testing.opcua.OpcUaTestServer;

/**
 * A real OPC UA server (Eclipse Milo, {@link OpcUaTestServer}) for Pax Exam tests, started by {@code @Configuration}
 * outside the framework, like {@link ExamBroker}. The probe inside the framework never loads this class: it reads
 * the endpoint from the system property {@value #ENDPOINT_PROPERTY} and drives the server through a
 * {@code Consumer<String>} kept in the system properties under {@value #CONTROL_PROPERTY} (a JDK type, the same in
 * both class spaces: the native container runs in one JVM): {@code "stop"}, {@code "restart"}, {@code "set N"}.
 */
final class ExamOpcUaServer {

    static final String ENDPOINT_PROPERTY = "edgeha.itest.opcua.endpoint";
    static final String CONTROL_PROPERTY = "edgeha.itest.opcua.control";

    private ExamOpcUaServer() {
    }

    /** Starts a server that lives as long as the test JVM. */
    static String start() throws Exception {
        OpcUaTestServer server = OpcUaTestServer.start();
        Consumer<String> control = command -> {
            try {
                if (command.equals("stop")) {
                    server.stop();
                } else if (command.equals("restart")) {
                    server.restart();
                } else if (command.startsWith("set ")) {
                    server.set(Integer.parseInt(command.substring(4)));
                } else {
                    throw new IllegalArgumentException(command);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(command + ": " + e, e);
            }
        };
        System.getProperties().put(CONTROL_PROPERTY, control);
        System.setProperty(ENDPOINT_PROPERTY, server.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> control.accept("stop")));
        return server.endpoint();
    }
}
