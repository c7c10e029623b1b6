package org.edgeha.sparkplug.internal;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * This gateway as a Sparkplug B edge node (docs/mqtt-api.md, "Sparkplug B"): group {@code edgeha-{domain}}, node
 * {@code gw-{node}} unless configured. It runs its own MQTT 5 session (Paho, clean start, no session expiry) because a
 * Sparkplug NDEATH must be the will of the session that published the NBIRTH, and the bridge's session already
 * carries the gateway's presence will. Each new session takes the next bdSeq (0..255, kept in
 * {@code data/sparkplug/bdSeq}); the NDEATH will and the NBIRTH that follows carry the same one.
 *
 * <p>Threads: everything (connect, NBIRTH, sampling, NDATA, NDEATH) runs on the single thread
 * {@code edgeha-sparkplug}; Paho's callbacks only hand work to it. {@link #status()} may be called from any thread
 * and does not block.
 */
@Designate(ocd = SparkplugConfig.class)
@Component(service = SparkplugNode.class, configurationPid = SparkplugNode.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class SparkplugNode {

    static final String PID = "org.edgeha.sparkplug";
    static final String NAMESPACE = "spBv1.0";
    static final String REBIRTH = "Node Control/Rebirth";
    static final String BD_SEQ = "bdSeq";
    private static final long RETRY_MILLIS = 5000;

    private final Gateway gateway;
    private final Logger log;
    private final SparkplugConfig config;
    private final String groupId;
    private final String nodeId;
    private final String broker;
    private final ScheduledExecutorService thread;
    private final BdSeqStore bdSeqStore;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MqttBridge> bridges;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GroupServices groupServices;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HaConnections connections;

    // The node thread's state; the volatile ones are also read by status()
    private MqttClient client;
    private volatile long bdSeq = -1;
    private volatile long seq = -1;
    private volatile boolean online;
    private volatile String lastError = "";
    private volatile long births;
    private volatile long ndata;
    private volatile long commands;
    private volatile long sessions;
    private volatile boolean rebirthRequested;
    private long nextConnectMillis;
    private Map<String, Object> published = Map.of();

    @Activate
    public SparkplugNode(@Reference Gateway gateway, @Reference(service = LoggerFactory.class) Logger log,
            SparkplugConfig config) {
        this.gateway = gateway;
        this.log = log;
        this.config = config;
        GatewaySettings settings = gateway.settings();
        this.groupId = config.groupId().isBlank() ? "edgeha-" + settings.domain() : config.groupId().trim();
        this.nodeId = config.nodeId().isBlank() ? "gw-" + settings.node() : config.nodeId().trim();
        this.broker = config.broker().isBlank() ? settings.broker().toString() : config.broker().trim();
        this.bdSeqStore = new BdSeqStore(settings.data().resolve("sparkplug").resolve("bdSeq"));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeha-sparkplug");
            t.setDaemon(true);
            return t;
        });
        if (config.enabled()) {
            long interval = Math.max(100L, config.publishIntervalMillis());
            thread.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
            log.info("Sparkplug B edge node {}/{} on {}", groupId, nodeId, broker);
        } else {
            log.info("Sparkplug B edge node off (enabled=false)");
        }
    }

    @Deactivate
    void deactivate() {
        try {
            thread.submit(this::stop).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Sparkplug: stopping took too long or failed: {}", String.valueOf(e));
        }
        thread.shutdownNow();
    }

    /** A line per fact for {@code sparkplug:status}; never blocks. */
    String status() {
        return "edge node   " + NAMESPACE + "/" + groupId + "/" + nodeId + (config.enabled() ? "" : " (off)")
                + "\nbroker      " + broker
                + "\nsession     " + (online ? "online" : "offline") + ", sessions " + sessions
                + "\nbdSeq       " + (bdSeq < 0 ? "-" : Long.toString(bdSeq))
                + "\nseq         " + (seq < 0 ? "-" : Long.toString(seq))
                + "\nsent        " + births + " NBIRTH, " + ndata + " NDATA; received " + commands + " NCMD"
                + "\nlast error  " + (lastError.isEmpty() ? "-" : lastError);
    }

    String topic(String type) {
        return NAMESPACE + "/" + groupId + "/" + type + "/" + nodeId;
    }

    private void tick() {
        try {
            if (client == null || !client.isConnected()) {
                if (online) {
                    online = false;
                    log.warn("Sparkplug: session to {} lost; reconnecting with a new bdSeq", broker);
                }
                if (System.currentTimeMillis() >= nextConnectMillis) {
                    connect();
                }
                return;
            }
            Map<String, Object> now = sample();
            if (rebirthRequested || !sameShape(now, published)) {
                rebirthRequested = false;
                birth(now);
                return;
            }
            List<Metric> changed = new ArrayList<>();
            for (Map.Entry<String, Object> e : now.entrySet()) {
                if (!Objects.equals(e.getValue(), published.get(e.getKey()))) {
                    changed.add(metric(e.getKey(), e.getValue()));
                }
            }
            if (!changed.isEmpty()) {
                publish("NDATA", payload(nextSeq(), changed), 0);
                ndata++;
                published = now;
            }
        } catch (Exception e) {
            error("Sparkplug: " + e);
        }
    }

    private void connect() {
        nextConnectMillis = System.currentTimeMillis() + RETRY_MILLIS;
        closeClient();
        long newBdSeq = bdSeqStore.next();
        try {
            MqttClient c = new MqttClient(broker, "edgeha-sparkplug-" + gateway.settings().domain() + "-"
                    + gateway.settings().node(), new MemoryPersistence());
            c.setCallback(new Callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setSessionExpiryInterval(0L);
            options.setAutomaticReconnect(false);
            options.setKeepAliveInterval(30);
            options.setConnectionTimeout(10);
            // The NDEATH: QoS 1, not retained, carrying this session's bdSeq (Sparkplug B 3.0, tck-id-topics-ndeath)
            options.setWill(topic("NDEATH"), new MqttMessage(encode(deathPayload(newBdSeq)), 1, false, null));
            c.connect(options);
            client = c;
            bdSeq = newBdSeq;
            sessions++;
            c.subscribe(topic("NCMD"), 1);
            online = true;
            lastError = "";
            log.info("Sparkplug: session to {} up (bdSeq {})", broker, newBdSeq);
            birth(sample());
        } catch (Exception e) {
            closeClient();
            error("Sparkplug: cannot connect to " + broker + ": " + e.getMessage() + " (retrying in "
                    + RETRY_MILLIS / 1000 + " s)");
        }
    }

    private void birth(Map<String, Object> now) throws Exception {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(metric(BD_SEQ, bdSeq));
        metrics.add(metric(REBIRTH, Boolean.FALSE));
        for (Map.Entry<String, Object> e : now.entrySet()) {
            metrics.add(metric(e.getKey(), e.getValue()));
        }
        seq = -1;
        publish("NBIRTH", payload(nextSeq(), metrics), 0);
        births++;
        published = now;
    }

    private void stop() {
        MqttClient c = client;
        if (c != null && c.isConnected()) {
            try {
                // A clean stop sends the NDEATH itself: a normal DISCONNECT discards the will
                publish("NDEATH", deathPayload(bdSeq), 1);
            } catch (Exception e) {
                log.warn("Sparkplug: NDEATH not sent on stop: {}", e.getMessage());
            }
        }
        closeClient();
        online = false;
    }

    private void closeClient() {
        MqttClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2000);
            }
        } catch (MqttException e) {
            // already gone
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            // nothing more to release
        }
    }

    /** The node metrics besides bdSeq and Rebirth, in a stable order; values Long, Integer, String or Boolean. */
    private Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<MqttBridge> bs = bridges;
        if (bs != null) {
            for (MqttBridge b : bs) {
                MqttStatus s = b.status();
                m.put("MQTT/" + s.name() + "/State", s.state().name());
                m.put("MQTT/" + s.name() + "/Connected", s.state() == MqttStatus.State.CONNECTED);
                m.put("MQTT/" + s.name() + "/Store Depth", s.storeDepth());
            }
        }
        HaConnections ha = connections;
        if (ha != null) {
            for (ConnectionInfo c : ha.connections()) {
                String name = c.name() == null || c.name().isBlank() ? "coid " + c.coid() : c.name();
                m.put("Recovery/" + name + "/State", c.state().name());
            }
        }
        GroupServices gs = groupServices;
        if (gs != null) {
            for (GroupView v : gs.groups()) {
                m.put("Groups/" + v.group() + "/Seq", v.seq());
                m.put("Groups/" + v.group() + "/State", state(v));
                m.put("Groups/" + v.group() + "/Members", v.members().size());
            }
        }
        return m;
    }

    private static String state(GroupView v) {
        String s = v.state().toString(); // "text" in quotes, or base64:..., or empty
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static boolean sameShape(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (e.getValue().getClass() != b.get(e.getKey()).getClass()) {
                return false;
            }
        }
        return true;
    }

    private long nextSeq() {
        seq = (seq + 1) % 256;
        return seq;
    }

    static Metric metric(String name, Object value) throws Exception {
        MetricDataType type = value instanceof Long ? MetricDataType.Int64
                : value instanceof Integer ? MetricDataType.Int32
                : value instanceof Boolean ? MetricDataType.Boolean
                : MetricDataType.String;
        return new Metric.MetricBuilder(name, type, value).timestamp(new Date()).createMetric();
    }

    private static SparkplugBPayload payload(long seq, List<Metric> metrics) {
        return new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date()).setSeq(seq)
                .addMetrics(metrics).createPayload();
    }

    private static SparkplugBPayload deathPayload(long bdSeq) throws Exception {
        // NDEATH has no seq (Sparkplug B 3.0)
        return new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                .addMetric(metric(BD_SEQ, bdSeq)).createPayload();
    }

    private static byte[] encode(SparkplugBPayload payload) throws Exception {
        return new SparkplugBPayloadEncoder().getBytes(payload, false);
    }

    private void publish(String type, SparkplugBPayload payload, int qos) throws Exception {
        client.publish(topic(type), encode(payload), qos, false);
    }

    private void error(String line) {
        if (!line.equals(lastError)) {
            log.warn(line);
        }
        lastError = line;
    }

    /** Paho's callbacks: run on Paho's threads, they hand everything to the node thread. */
    private final class Callback implements MqttCallback {

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            thread.execute(SparkplugNode.this::tick);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            lastError = "Sparkplug: " + exception.getMessage();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            commands++;
            try {
                SparkplugBPayload p = new SparkplugBPayloadDecoder().buildFromByteArray(message.getPayload(), null);
                for (Metric m : p.getMetrics()) {
                    if (REBIRTH.equals(m.getName()) && Boolean.TRUE.equals(m.getValue())) {
                        log.info("Sparkplug: Rebirth requested by NCMD");
                        rebirthRequested = true;
                        thread.execute(SparkplugNode.this::tick);
                    }
                }
            } catch (Exception e) {
                error("Sparkplug: NCMD on " + topic + " not understood: " + e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
