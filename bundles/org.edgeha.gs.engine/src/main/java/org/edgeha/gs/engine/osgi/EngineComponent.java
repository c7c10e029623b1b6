package org.edgeha.gs.engine.osgi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.ResponsivenessCallback;
import org.edgeha.gs.api.SubscriptionCallback;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.RealTimeScheduler;
import org.edgeha.gs.engine.node.GsNode;
import org.edgeha.gs.spi.GroupViewListener;
import org.edgeha.gs.spi.GsTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Group Services engine of this gateway, as the {@link GroupServices} service. Runs over the
 * highest-ranked {@link GsTransport} service (the MQTT bridge), or, when there is none, over an
 * in-memory network of this gateway alone; a transport that appears later restarts the engine on it.
 * Also hosts the whiteboard (SPEC 2.10).
 */
@Component(service = GroupServices.class, immediate = true, configurationPid = EngineComponent.PID)
@Designate(ocd = EngineComponent.Config.class)
public class EngineComponent implements GroupServices {

    static final String PID = "org.edgeha.gs.engine";

    @ObjectClassDefinition(name = "EdgeHA Group Services engine",
            description = "Tuning of the Group Services engine. The node number and domain come from the gateway settings.")
    @interface Config {
        @AttributeDefinition(name = "Catch-up log", description = "Protocols kept per group for gateways that missed some", min = "1")
        int commitLogSize() default 256;

        @AttributeDefinition(name = "Probe (ms)", description = "How long messages may stay unacknowledged before the peer is asked what it misses", min = "1")
        long probeMillis() default 1_000;

        @AttributeDefinition(name = "Acknowledgement delay (ms)", min = "0")
        long ackDelayMillis() default 20;

        @AttributeDefinition(name = "Callback threads", description = "Threads that run client callbacks (one client at a time each)", min = "1")
        int callbackThreads() default 4;

        @AttributeDefinition(name = "Client sessions", description = "Most client sessions (init) open on this gateway at once; LIMIT_REACHED beyond", min = "1")
        int maxClients() default EngineConfig.DEFAULT_MAX_CLIENTS;

        @AttributeDefinition(name = "Groups", description = "Most groups this gateway's providers and subscribers are in at once; LIMIT_REACHED beyond", min = "1")
        int maxGroups() default EngineConfig.DEFAULT_MAX_GROUPS;

        @AttributeDefinition(name = "Providers per group", description = "Most providers in one group; a join beyond gets LIMIT_REACHED (the coordinator's value decides: set the same on every gateway)", min = "1")
        int maxProvidersPerGroup() default EngineConfig.DEFAULT_MAX_PROVIDERS_PER_GROUP;
    }

    private final RealTimeScheduler scheduler;
    private final ExecutorService callbacks;
    private final GsNode node;
    private final WhiteboardCallbacks hooks = new WhiteboardCallbacks();
    private final ProviderWhiteboard whiteboard;
    private final Logger logger;

    @Activate
    public EngineComponent(Config config, @Reference Gateway gateway,
            @Reference(service = LoggerFactory.class) Logger logger,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) GsTransport transport) {
        this.logger = logger;
        EngineLog log = new OsgiLog(logger);
        int nodeNumber = gateway.settings().node();
        EngineConfig cfg = new EngineConfig(nodeNumber, Math.max(1, config.commitLogSize()),
                Math.max(0, config.ackDelayMillis()), 16, Math.max(1, config.probeMillis()))
                .withLimits(Math.max(1, config.maxClients()), Math.max(1, config.maxGroups()),
                        Math.max(1, config.maxProvidersPerGroup()));
        scheduler = new RealTimeScheduler("gs-engine-" + nodeNumber, log);
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, config.callbackThreads());
        callbacks = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "gs-callback-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) callbacks).allowCoreThreadTimeOut(true);
        node = new GsNode(cfg, transport, scheduler, callbacks, log);
        node.hooks(hooks);
        node.start();
        whiteboard = new ProviderWhiteboard(node, log, hooks, scheduler);
        logger.info("Group Services started on node {} over {}; limits: {} client sessions, {} groups, {} providers per group",
                nodeNumber, transport instanceof LocalNetworkTransport ? "the in-memory network (this gateway only)"
                        : transport.getClass().getName(),
                cfg.maxClients(), cfg.maxGroups(), cfg.maxProvidersPerGroup());
    }

    @Deactivate
    void deactivate() {
        whiteboard.close();
        node.stop();
        scheduler.close();
        callbacks.shutdownNow();
        logger.info("Group Services stopped");
    }

    // ---- whiteboard ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addGroupProvider(GroupProvider p, Map<String, Object> props) {
        whiteboard.addProvider(p, props);
    }

    void removeGroupProvider(GroupProvider p, Map<String, Object> props) {
        whiteboard.removeProvider(props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSubscriptionCallback(SubscriptionCallback cb, Map<String, Object> props) {
        whiteboard.addSubscriber(cb, props);
    }

    void removeSubscriptionCallback(SubscriptionCallback cb, Map<String, Object> props) {
        whiteboard.removeSubscriber(props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDelayedErrorCallback(DelayedErrorCallback cb, Map<String, Object> props) {
        hooks.addDelayedError(cb, props);
    }

    void removeDelayedErrorCallback(DelayedErrorCallback cb) {
        hooks.removeDelayedError(cb);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResponsivenessCallback(ResponsivenessCallback cb, Map<String, Object> props) {
        hooks.addResponsiveness(cb, props);
    }

    void removeResponsivenessCallback(ResponsivenessCallback cb) {
        hooks.removeResponsiveness(cb);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addViewListener(GroupViewListener l) {
        hooks.addViewListener(l);
    }

    void removeViewListener(GroupViewListener l) {
        hooks.removeViewListener(l);
    }

    // ---- GroupServices ----

    @Override
    public GsClient init(ClientOptions options) {
        return node.init(options);
    }

    @Override
    public int nodeNumber() {
        return node.nodeNumber();
    }

    @Override
    public List<GroupView> groups() {
        return node.groups();
    }

    @Override
    public Optional<GroupView> group(String group) {
        return node.group(group);
    }

    @Override
    public int coordinatorNode() {
        return node.coordinatorNode();
    }

    /** For the shell: what the engine rejected and repaired. */
    EngineStats stats() {
        return node.stats();
    }
}
