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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's own MQTT connection ({@code default}), to {@code edgeha.broker} unless configured
 * otherwise (PID {@value #PID}). It starts with no broker reachable and keeps recovering in the
 * background. A configuration change restarts it; the store keeps what was accepted.
 */
@Component(configurationPid = MqttBridgeComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, property = MqttBridge.NAME + "=default", service = {MqttBridge.class, InfoContributor.class})
@Designate(ocd = MqttConfig.class)
public class MqttBridgeComponent implements MqttBridge, InfoContributor {

    static final String PID = "org.edgeha.mqtt";

    /**
     * Why the last activation refused its configuration, or empty: {@code mqtt:status} says it when no connection
     * runs, so that an operator need not search the log for the reason.
     */
    static volatile String configurationProblem = "";

    private final ManagedConnection connection;

    @Activate
    public MqttBridgeComponent(@Reference Gateway gateway, @Reference HaConnections connections,
            @Reference(service = LoggerFactory.class) Logger log, MqttConfig config) throws Exception {
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.of("default", config, gateway.settings());
        } catch (IllegalArgumentException e) {
            configurationProblem = "configuration " + PID + " is wrong: " + e.getMessage();
            log.error("MQTT connection not started: {}", configurationProblem);
            throw e;
        }
        configurationProblem = "";
        if (settings.password().length > 0 && !settings.tls().configured()
                && settings.brokers().stream().anyMatch(b -> b.startsWith("tcp://"))) {
            log.warn("MQTT connection {} sends its password in plaintext to {}: use ssl:// brokers and tls.truststore",
                    settings.name(), settings.brokers());
        }
        this.connection = new ManagedConnection(settings, connections, null, log);
        connection.start();
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
