package org.edgeha.testing.opcua;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;

/**
 * A real Eclipse Milo OPC UA server on a free loopback port ({@code opc.tcp://127.0.0.1:PORT/line1}, no security,
 * anonymous), with one Int32 variable {@code ns=2;s=Line1/Counter} that the test sets. {@link #stop} shuts it down
 * (its endpoint closes, its sessions and subscriptions are gone), {@link #restart} starts a new server on the same
 * port whose variable starts at 0 again: a server restart as a PLC's OPC UA server does it. Thread-safe enough for
 * one test driving it; every call is bounded ({@value #STOP_SECONDS} s per start or stop).
 */
public final class OpcUaTestServer implements AutoCloseable {

    public static final String NAMESPACE = "urn:edgeha:test:line1";
    public static final int STOP_SECONDS = 10;

    private final int port;
    private final Path pki;
    private volatile OpcUaServer server;
    private volatile LineNamespace namespace;

    private OpcUaTestServer(final int port, final Path pki) {
        this.port = port;
        this.pki = pki;
    }

    /** Starts a server on a free loopback port. */
    public static OpcUaTestServer start() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        OpcUaTestServer s = new OpcUaTestServer(port, Files.createTempDirectory("opcua-test-pki"));
        s.restart();
        return s;
    }

    public String endpoint() {
        return "opc.tcp://127.0.0.1:" + port + "/line1";
    }

    /** The variable's node id as the client sees it (namespace index 2: the first after the server's own). */
    public static NodeId counterNode() {
        return new NodeId(2, "Line1/Counter");
    }

    public void set(final int value) {
        namespace.counter.setValue(new DataValue(new Variant(value)));
    }

    /** Shuts the server down: the endpoint closes, connected clients lose their sessions. Bounded. */
    public void stop() throws Exception {
        OpcUaServer s = server;
        server = null;
        if (s != null) {
            s.shutdown().get(STOP_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts a new server on the same port (a few tries while the port is still being released). Bounded. */
    public void restart() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            OpcUaServer s = new OpcUaServer(config());
            LineNamespace ns = new LineNamespace(s);
            ns.startup();
            try {
                s.startup().get(STOP_SECONDS, TimeUnit.SECONDS);
                namespace = ns;
                server = s;
                return;
            } catch (Exception e) {
                last = e; // the port is not free yet
                ns.shutdown();
                s.shutdown().get(STOP_SECONDS, TimeUnit.SECONDS);
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("OPC UA test server did not start again on port " + port, last);
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private OpcUaServerConfig config() throws IOException {
        DefaultTrustListManager trust = new DefaultTrustListManager(pki.toFile());
        EndpointConfiguration endpoint = EndpointConfiguration.newBuilder()
                .setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1")
                .setBindPort(port)
                .setPath("/line1")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        return OpcUaServerConfig.builder()
                .setApplicationUri("urn:edgeha:test:opcua-server")
                .setApplicationName(LocalizedText.english("EdgeHA test OPC UA server"))
                .setProductUri("urn:edgeha:test")
                .setEndpoints(Set.of(endpoint))
                .setCertificateManager(new DefaultCertificateManager())
                .setTrustListManager(trust)
                .setCertificateValidator(new DefaultServerCertificateValidator(trust))
                .build();
    }

    /** The namespace with the one variable; a sampling subscription model serves monitored items. */
    private static final class LineNamespace extends ManagedNamespaceWithLifecycle {
        private final SubscriptionModel subscriptionModel;
        private volatile UaVariableNode counter;

        LineNamespace(final OpcUaServer server) {
            super(server, NAMESPACE);
            subscriptionModel = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptionModel);
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        private void addNodes() {
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId("Line1/Counter"))
                    .setAccessLevel(AccessLevel.READ_WRITE)
                    .setUserAccessLevel(AccessLevel.READ_WRITE)
                    .setBrowseName(newQualifiedName("Counter"))
                    .setDisplayName(LocalizedText.english("Counter"))
                    .setDataType(Identifiers.Int32)
                    .setTypeDefinition(Identifiers.BaseDataVariableType)
                    .build();
            node.setValue(new DataValue(new Variant(0)));
            getNodeManager().addNode(node);
            counter = node;
        }

        @Override
        public void onDataItemsCreated(final List<DataItem> items) {
            subscriptionModel.onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(final List<DataItem> items) {
            subscriptionModel.onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(final List<DataItem> items) {
            subscriptionModel.onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(final List<MonitoredItem> items) {
            subscriptionModel.onMonitoringModeChanged(items);
        }
    }
}
