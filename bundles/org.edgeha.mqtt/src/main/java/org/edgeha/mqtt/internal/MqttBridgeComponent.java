package org.edgeha.mqtt.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.InfoContributor;
import org.edgeha.mqtt.api.MessageHandler;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.Subscription;
import org.edgeha.recovery.api.HaConnections;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's own MQTT connection ({@code default}), to {@code edgeha.broker} unless configured
 * otherwise (PID {@value #PID}). It starts with no broker reachable and keeps recovering in the
 * background.
 *
 * <p>A configuration change is applied in place ({@link Modified}): the service stays registered, so Group
 * Services and other users are not restarted; the connection keeps its store, subscriptions and incarnation and,
 * when a CONNECT setting changed, connects again (see {@link ManagedConnection#reconfigure}). A change with a bad
 * value is refused as a whole: one ERROR line names the PID, key and reason, {@code mqtt:status} shows it, and the
 * connection goes on with the settings it has (issue 14: it used to stop, with SCR's stack traces).
 */
@Component(configurationPid = MqttBridgeComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, property = MqttBridge.NAME + "=default", service = {MqttBridge.class, InfoContributor.class})
@Designate(ocd = MqttConfig.class)
public class MqttBridgeComponent implements MqttBridge, InfoContributor {

    static final String PID = "org.edgeha.mqtt";

    /**
     * Why the configuration last given was refused, or empty: {@code mqtt:status} says it, so that an operator need
     * not search the log for the reason.
     */
    static volatile String configurationProblem = "";

    private final ManagedConnection connection;
    private final Gateway gateway;
    private final Logger log;

    @Activate
    public MqttBridgeComponent(@Reference Gateway gateway, @Reference HaConnections connections,
            @Reference(service = LoggerFactory.class) Logger log, MqttConfig config) throws Exception {
        this.gateway = gateway;
        this.log = log;
        ConnectionSettings settings;
        boolean wrong = false;
        try {
            settings = settings(config);
            configurationProblem = "";
        } catch (IllegalArgumentException e) {
            // Not thrown: SCR would log it with its stack traces, again at every mqtt:status (issue 14). The bridge
            // stays registered with its connection held back: publishes wait in the store, subscriptions and
            // presence listeners are kept, and a corrected configuration starts it (modified).
            configurationProblem = "configuration " + PID + " is wrong: " + e.getMessage()
                    + "; the connection does not start until it is put right";
            log.error("MQTT connection default: {}", configurationProblem);
            settings = ConnectionSettings.of("default", defaults(), gateway.settings());
            wrong = true;
        }
        warnPlaintextPassword(settings);
        this.connection = new ManagedConnection(settings, connections, null, log);
        if (!wrong) {
            connection.start();
        }
    }

    /** The configuration with every attribute at its default: the placeholder of a held-back connection. */
    static MqttConfig defaults() {
        return (MqttConfig) java.lang.reflect.Proxy.newProxyInstance(MqttConfig.class.getClassLoader(),
                new Class<?>[] {MqttConfig.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    private ConnectionSettings settings(MqttConfig config) {
        ConfigValues.check(MqttConfig.class, config);
        return ConnectionSettings.of("default", config, gateway.settings());
    }

    private void warnPlaintextPassword(ConnectionSettings settings) {
        if (settings.password().length > 0 && !settings.tls().configured()
                && settings.brokers().stream().anyMatch(b -> b.startsWith("tcp://"))) {
            log.warn("MQTT connection {} sends its password in plaintext to {}: use ssl:// brokers and tls.truststore",
                    settings.name(), settings.brokers());
        }
    }

    /** etc/org.edgeha.mqtt.cfg changed: applied to the running connection, or refused whole with one ERROR line. */
    @Modified
    void modified(MqttConfig config) {
        ConnectionSettings settings;
        try {
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            configurationProblem = "configuration " + PID + " is wrong: " + e.getMessage() + (connection.started()
                    ? "; the connection goes on with its previous settings"
                    : "; the connection does not start until it is put right");
            log.error("MQTT connection {}: {}", connection.name(), configurationProblem);
            return;
        }
        boolean wasWrong = !configurationProblem.isEmpty();
        configurationProblem = "";
        try {
            java.util.List<String> changed = connection.reconfigure(settings);
            if (!connection.started()) {
                connection.start();
                log.info("MQTT connection {}: configuration {} is right now; the connection starts", connection.name(), PID);
            } else if (!changed.isEmpty()) {
                warnPlaintextPassword(settings);
                log.info("MQTT connection {}: configuration {} changed ({}); applied in place{}, as the same "
                        + "incarnation {}", connection.name(), PID, String.join(", ", changed),
                        ConnectionSettings.needsReconnect(changed) ? " by connecting again" : "", connection.incarnation());
            } else if (wasWrong) {
                log.info("MQTT connection {}: configuration {} is right again; nothing to change", connection.name(), PID);
            }
        } catch (java.io.IOException | org.edgeha.recovery.api.HaException e) {
            configurationProblem = "configuration " + PID + " not applied: " + e.getMessage();
            log.error("MQTT connection {}: {}", connection.name(), configurationProblem);
            log.debug("MQTT connection {}: configuration not applied", connection.name(), e); // the trace: log file only
        }
    }

    @Deactivate
    void deactivate() {
        connection.close();
    }

    @Override
    public String name() {
        return connection.name();
    }

    @Override
    public void publish(OutboundMessage message) throws PublishRejectedException {
        connection.publish(message);
    }

    @Override
    public void publishDirect(OutboundMessage message) throws PublishRejectedException {
        connection.publishDirect(message);
    }

    @Override
    public Subscription subscribe(String topicFilter, int qos, MessageHandler handler) {
        return connection.subscribe(topicFilter, qos, handler);
    }

    @Override
    public Subscription subscribeDirect(String topicFilter, int qos, MessageHandler handler) {
        return connection.subscribe(topicFilter, qos, handler, true);
    }

    @Override
    public MqttStatus status() {
        return connection.status();
    }

    /** {@code edgeha:info}: the brokers in use (not the edgeha.broker setting, which etc/ may override), link, incarnation. */
    @Override
    public Map<String, String> info() {
        MqttStatus status = connection.status();
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put(InfoContributor.BROKER, String.join(", ", connection.brokers())
                + (status.state() == MqttStatus.State.CONNECTED ? " (connected to " + status.broker() + ")" : ""));
        lines.put("mqtt", status.state() + (status.lastError().isEmpty() || status.state() == MqttStatus.State.CONNECTED
                ? "" : ": " + status.lastError()));
        lines.put("incarnation", Long.toString(status.incarnation()));
        return lines;
    }

    @Override
    public long incarnation() {
        return connection.incarnation();
    }

    @Override
    public long renewIncarnation() {
        return connection.renewIncarnation();
    }

    @Override
    public AutoCloseable addPresenceListener(PresenceListener listener) {
        return connection.addPresenceListener(listener);
    }

    @Override
    public void rejectedInput(String topic, String reason) {
        connection.rejectedInput(topic, reason);
    }
}
