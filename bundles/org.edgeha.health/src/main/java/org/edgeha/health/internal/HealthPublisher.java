package org.edgeha.health.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes this gateway's health as the retained MQTT message {@code edgeha/{domain}/node/{node}/health} (JSON
 * {@value HealthReport#SCHEMA}, QoS 1, content type application/json, payload format indicator UTF-8) through the
 * gateway's MQTT bridge: after every (re)connect, when any check's status changes (looked at every
 * {@code checkIntervalSeconds}) and every {@code publishIntervalSeconds} anyway. Sent directly, not through the
 * store: an old health message is worth nothing later, and the reconnect publishes a fresh one.
 *
 * <p>Threads: the checks run and the message is sent on the single thread {@code edgeha-health}; the bridge's presence
 * callbacks only hand work to it. When the bundle stops while the framework goes on (the feature removed), the
 * retained message is cleared; when the gateway stops it stays, and the node's status says {@code offline}.
 */
@Designate(ocd = HealthConfig.class)
@Component(service = HealthPublisher.class, configurationPid = HealthPublisher.PID, immediate = true)
public class HealthPublisher {

    static final String PID = "org.edgeha.health";

    private final HealthCheckExecutor executor;
    private final MqttBridge bridge;
    private final Gateway gateway;
    private final BundleContext context;
    private final Logger log;
    private final String topic;
    private final long publishIntervalMillis;
    private final ScheduledExecutorService thread;
    private final AutoCloseable presence;

    // The health thread's state
    private String publishedSignature = "";
    private long publishedAtMillis;
    private boolean connected;
    private volatile long published;

    @Activate
    public HealthPublisher(@Reference HealthCheckExecutor executor,
            @Reference(target = "(" + MqttBridge.NAME + "=default)") MqttBridge bridge, @Reference Gateway gateway,
            @Reference(service = LoggerFactory.class) Logger log, BundleContext context, HealthConfig config) {
        this.executor = executor;
        this.bridge = bridge;
        this.gateway = gateway;
        this.context = context;
        this.log = log;
        this.topic = topic(gateway);
        this.publishIntervalMillis = Math.max(10, config.publishIntervalSeconds()) * 1000L;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeha-health");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> tick(false), 0, Math.max(1, config.checkIntervalSeconds()),
                TimeUnit.SECONDS);
        this.presence = bridge.addPresenceListener(new PresenceListener() {
            @Override
            public void connected(long incarnation, boolean resumed) {
                run(() -> {
                    connected = true;
                    tick(true);
                });
            }

            @Override
            public void disconnected() {
                run(() -> connected = false);
            }

            @Override
            public void presence(Map<Integer, Long> online) {
            }
        });
        log.info("Health: publishing to {} (on change, checked every {} s, and every {} s)", topic,
                config.checkIntervalSeconds(), publishIntervalMillis / 1000);
    }

    static String topic(Gateway gateway) {
        return "edgeha/" + gateway.settings().domain() + "/node/" + gateway.settings().node() + "/health";
    }

    @Deactivate
    void deactivate() {
        try {
            presence.close();
        } catch (Exception e) {
            log.debug("Health: presence listener: {}", String.valueOf(e));
        }
        boolean gatewayStopping = context.getBundle(0).getState() == Bundle.STOPPING;
        if (!gatewayStopping) {
            try {
                thread.submit(this::clear).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Health: the retained health message of {} was not cleared: {}", topic, String.valueOf(e));
            }
        }
        thread.shutdownNow();
    }

    /** @return the health topic */
    String topic() {
        return topic;
    }

    /** @return messages published so far (for {@code health:list}) */
    long published() {
        return published;
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopping) {
            // deactivated
        }
    }

    private void tick(boolean force) {
        try {
            HealthReport report = HealthReport.run(executor);
            long now = System.currentTimeMillis();
            String signature = report.signature();
            if (!force && signature.equals(publishedSignature) && now - publishedAtMillis < publishIntervalMillis) {
                return;
            }
            if (!force && !signature.equals(publishedSignature) && !publishedSignature.isEmpty()) {
                log.info("Health: {} ({})", report.status(), signature);
            }
            send(report.json(gateway.settings().node(), bridge.incarnation(), now, false)
                    .getBytes(StandardCharsets.UTF_8));
            publishedSignature = signature;
            publishedAtMillis = now;
            published++;
        } catch (PublishRejectedException e) {
            // NOT_CONNECTED: the next connect publishes a fresh message
            if (e.reason() != PublishRejectedException.Reason.NOT_CONNECTED) {
                log.warn("Health: message to {} refused: {}", topic, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Health: checks or message failed: {}", String.valueOf(e));
        }
    }

    private void send(byte[] payload) throws PublishRejectedException {
        bridge.publishDirect(new OutboundMessage(topic, payload, 1, true, Map.of()).asJson());
    }

    private void clear() {
        try {
            if (connected) {
                // An empty retained message removes the broker's retained one
                bridge.publishDirect(new OutboundMessage(topic, new byte[0], 1, true, Map.of()));
                log.info("Health: retained message of {} cleared", topic);
            }
        } catch (PublishRejectedException e) {
            log.warn("Health: the retained health message of {} was not cleared: {}", topic, e.getMessage());
        }
    }
}
