package org.edgeha.examples.opcua;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.edgeha.recovery.api.HaConnections;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One monitored variable per factory configuration of {@value #FACTORY_PID}, for example
 * {@code etc/org.edgeha.examples.opcua.variable-line1.cfg}:
 *
 * <pre>
 * connection.name = opc-line1
 * endpoint = opc.tcp://10.0.0.9:4840/line1
 * node.id = ns=2;s=Line1/Counter
 * </pre>
 *
 * <p>On its own thread ({@code edgeha-opcua-NAME}) it opens an HA-aware {@link OpcUaSession} (recovered by the best
 * whiteboard function, the example's {@link OpcUaReconnect}), subscribes to the variable and reads it every
 * {@code read.interval.ms}. It logs the first value, each value after a recovery and each failure at INFO/WARN, every
 * other value at DEBUG. Deleting the configuration closes the session.
 */
@Component(configurationPid = OpcUaVariableMonitor.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = OpcUaVariableMonitor.Config.class, factory = true)
public class OpcUaVariableMonitor {

    /** Factory PID of the monitored variables. */
    public static final String FACTORY_PID = "org.edgeha.examples.opcua.variable";

    @ObjectClassDefinition(name = "EdgeHA example: OPC UA variable",
            description = "Reads and subscribes to one variable of an OPC UA server through an HA-aware session.")
    @interface Config {
        @AttributeDefinition(name = "Connection name", description = "Name of the HA-aware connection (ha:list)")
        String connection_name();

        @AttributeDefinition(name = "Endpoint", description = "opc.tcp://host:port/path of the server (no security)")
        String endpoint();

        @AttributeDefinition(name = "Node id", description = "The variable, e.g. ns=2;s=Line1/Counter")
        String node_id();

        @AttributeDefinition(name = "Read interval (ms)", min = "100")
        long read_interval_ms() default 1000;

        @AttributeDefinition(name = "Publishing interval (ms)", min = "10")
        long publishing_interval_ms() default 500;

        @AttributeDefinition(name = "Request timeout (ms)", min = "100")
        long request_timeout_ms() default 2000;

        @AttributeDefinition(name = "First connect timeout (ms)", min = "100",
                description = "Longest the first connect may take; later ones are the recovery function's")
        long connect_timeout_ms() default 5000;
    }

    private final Logger log;
    private final Thread worker;
    private final AtomicLong values = new AtomicLong();

    @Activate
    public OpcUaVariableMonitor(@Reference final HaConnections ha,
            @Reference(service = LoggerFactory.class) final Logger log, final Config config) {
        this.log = log;
        String name = Objects.requireNonNullElse(config.connection_name(), "");
        NodeId node = config.node_id() == null ? null : NodeId.parseOrNull(config.node_id());
        if (name.isBlank() || config.endpoint() == null || !config.endpoint().startsWith("opc.tcp://") || node == null) {
            log.error("OPC UA example: configuration {} is wrong (connection.name '{}', endpoint '{}', node.id '{}'): "
                    + "it needs a name, an opc.tcp:// endpoint and a node id such as ns=2;s=Line1/Counter; nothing "
                    + "is opened", FACTORY_PID, name, config.endpoint(), config.node_id());
            worker = null;
            return;
        }
        Duration requestTimeout = Duration.ofMillis(Math.max(100, config.request_timeout_ms()));
        Duration publishing = Duration.ofMillis(Math.max(10, config.publishing_interval_ms()));
        Duration connectTimeout = Duration.ofMillis(Math.max(100, config.connect_timeout_ms()));
        long interval = Math.max(100, config.read_interval_ms());
        worker = new Thread(() -> run(ha, name, config.endpoint(), node, connectTimeout, requestTimeout, publishing,
                interval),
                "edgeha-opcua-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (worker != null) {
            worker.interrupt();
            worker.join(5000);
        }
    }

    private void run(final HaConnections ha, final String name, final String endpoint, final NodeId node,
            final Duration connectTimeout, final Duration requestTimeout, final Duration publishing,
            final long interval) {
        String id = node.toParseableString();
        try (OpcUaSession session = OpcUaSession.open(ha, name, endpoint, connectTimeout, requestTimeout, null, log)) {
            log.info("OPC UA {}: connection {} to {} is HA-aware; monitoring {}", name, session.coid(), endpoint, id);
            Subscription subscription = null;
            String lastProblem = null;
            long recoveries = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (subscription == null) {
                        subscription = session.subscribe(node, publishing, value -> delivered(name, id, value));
                    } else {
                        session.ensureSubscriptions();
                    }
                    DataValue value = session.read(node);
                    long recovered = session.info().recoveriesSucceeded();
                    if (lastProblem != null || recovered != recoveries) {
                        log.info("OPC UA {}: {} = {} ({}; {} recoveries, last {} ms)", name, id, value.getValue().getValue(),
                                status(value), recovered, session.info().lastRecoveryMillis());
                    } else {
                        log.debug("OPC UA {}: read {} = {}", name, id, value.getValue().getValue());
                    }
                    recoveries = recovered;
                    lastProblem = null;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        break;
                    }
                    String problem = e.getMessage() + suppressed(e);
                    if (!problem.equals(lastProblem)) {
                        log.warn("OPC UA {}: {} not read: {}", name, id, problem);
                    }
                    lastProblem = problem;
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            // deactivated
        } catch (Exception e) {
            log.error("OPC UA {}: not opened: {}", name, e.getMessage());
        }
        log.info("OPC UA {}: closed", name);
    }

    private static String status(final DataValue value) {
        return org.eclipse.milo.opcua.stack.core.StatusCodes.lookup(value.getStatusCode().getValue())
                .map(nd -> nd[0]).orElse(value.getStatusCode().toString());
    }

    private void delivered(final String name, final String node, final DataValue value) {
        if (values.getAndIncrement() == 0) {
            log.info("OPC UA {}: subscription to {} delivers, first value {}", name, node, value.getValue().getValue());
        } else {
            log.debug("OPC UA {}: {} changed to {}", name, node, value.getValue().getValue());
        }
    }

    private static String suppressed(final Exception e) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable s : e.getSuppressed()) {
            reasons.append(" (").append(s.getMessage()).append(')');
        }
        return reasons.toString();
    }
}
