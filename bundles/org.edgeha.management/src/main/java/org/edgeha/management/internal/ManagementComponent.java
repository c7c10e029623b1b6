package org.edgeha.management.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.edgeha.features.api.FeatureManager;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.Subscription;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Remote deployment over MQTT (SPEC 4.3): takes signed requests ({@link org.edgeha.management.signing.ManagementRequest}) on
 * {@code edgeha/{domain}/manage/{node}/request} and {@code edgeha/{domain}/manage/all/request}, checks them
 * ({@link RequestVerifier}), carries them out ({@link Deployer}) one at a time on its own thread and replies on the
 * request's response topic with its correlation data: {@code {"node":N,"op":"…","ok":true|false,"message":"…"}}.
 * A refused request is also logged at warning level and counted through {@link MqttBridge#rejectedInput}.
 */
@Component(immediate = true, configurationPid = ManagementComponent.PID, service = {})
@Designate(ocd = ManagementConfig.class)
public final class ManagementComponent {

    static final String PID = "org.edgeha.management";

    private final MqttBridge bridge;
    private final Logger log;
    private final int node;
    private final String nodeTopic;
    private final String allTopic;
    private final RequestVerifier verifier;
    private final Deployer deployer;
    private final ExecutorService worker;
    private final Subscription nodeSub;
    private final Subscription allSub;
    private volatile FeatureManager features;

    @Activate
    public ManagementComponent(@Reference(target = "(" + MqttBridge.NAME + "=default)") MqttBridge bridge,
            @Reference Gateway gateway, @Reference(service = LoggerFactory.class) Logger log, BundleContext context,
            ManagementConfig config) {
        this.bridge = bridge;
        this.log = log;
        this.node = gateway.settings().node();
        String root = "edgeha/" + gateway.settings().domain() + "/manage/";
        this.nodeTopic = root + node + "/request";
        this.allTopic = root + "all/request";
        this.verifier = new RequestVerifier(config.trusted_keys(), config.max_clock_skew_s(), config.max_artifact_bytes());
        this.deployer = new Deployer(context, () -> features,
                new RemoteBundleStore(gateway.settings().home().resolve("data/management/bundles")));
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeha-management");
            t.setDaemon(true);
            return t;
        });
        // First on the worker, so before any request: the bundles installed remotely before the restart.
        worker.execute(this::restoreKeptBundles);
        if (verifier.keyIds().isEmpty()) {
            log.warn("Remote management: no trusted key is configured ({}.cfg, trusted.keys): every request is refused", PID);
        }
        this.nodeSub = bridge.subscribe(nodeTopic, 1, m -> submit(m, Integer.toString(node)));
        this.allSub = bridge.subscribe(allTopic, 1, m -> submit(m, "all"));
        log.info("Remote management for node {} on {} and {}, trusted keys {}", node, nodeTopic, allTopic,
                verifier.keyIds());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setFeatures(FeatureManager manager) {
        this.features = manager;
    }

    void unsetFeatures(FeatureManager manager) {
        if (this.features == manager) {
            this.features = null;
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        nodeSub.close();
        allSub.close();
        worker.shutdown();
    }

    private void submit(InboundMessage message, String target) {
        try {
            worker.execute(() -> handle(message, target));
        } catch (RejectedExecutionException stopping) {
            // deactivated meanwhile
        }
    }

    private void restoreKeptBundles() {
        try {
            for (String outcome : deployer.restore()) {
                if (outcome.startsWith("discarded")) {
                    log.warn("Remote management: {}", outcome);
                } else {
                    log.info("Remote management: {}", outcome);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.error("Remote management: could not read the bundles kept from before the restart: {}", e.toString());
        }
    }

    private void handle(InboundMessage message, String target) {
        RequestVerifier.Verified request;
        try {
            request = verifier.verify(message.userProperties(), message.payload(), target, System.currentTimeMillis());
        } catch (RequestVerifier.Rejected refused) {
            bridge.rejectedInput(message.topic(), refused.reason);
            log.warn("Remote management: refused a request on {} ({}): {}", message.topic(), refused.reason,
                    refused.getMessage());
            if (!(message.duplicate() && refused.reason.equals("replayed"))) {
                // (a QoS 1 redelivery of a request carried out already is not answered twice)
                reply(message, refused.op, false, "refused (" + refused.reason + "): " + refused.getMessage());
            }
            return;
        }
        try {
            String outcome = deployer.act(request);
            log.info("Remote management: {} {} {} (key {}, nonce {}): {}", request.op(), request.kind(), request.name(),
                    request.keyId(), request.nonce(), outcome);
            reply(message, request.op(), true, outcome);
        } catch (Exception failure) {
            if (Deployer.expected(failure)) {
                log.warn("Remote management: {} {} {} failed: {}", request.op(), request.kind(), request.name(),
                        failure.getMessage());
            } else {
                log.error("Remote management: {} {} {} failed", request.op(), request.kind(), request.name(), failure);
            }
            reply(message, request.op(), false, String.valueOf(failure.getMessage()));
        }
    }

    private void reply(InboundMessage request, String op, boolean ok, String text) {
        if (request.responseTopic().isEmpty()) {
            return;
        }
        byte[] json = Replies.json(node, op, ok, text).getBytes(StandardCharsets.UTF_8);
        try {
            bridge.publishDirect(OutboundMessage.replyTo(request, json).asJson());
        } catch (PublishRejectedException | IllegalArgumentException e) {
            log.warn("Remote management: could not reply to {} on {}: {}", request.topic(), request.responseTopic().get(),
                    e.getMessage());
        }
    }
}
