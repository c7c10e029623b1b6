package org.edgeha.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Several real gateway processes of one domain, each with its own home and node number and an open console, and
 * a plain MQTT client that watches the public group views ({@code edgeha/{domain}/group/+/view}) the way another
 * system would. For the tests of Group Services between gateways.
 */
final class GatewayGroup implements AutoCloseable {

    /** The domain key every gateway of the test domain shares. */
    static final String DOMAIN_KEY = "test-domain-secret";

    private final Path root;
    private final Map<Integer, GatewayProcess> gateways = new TreeMap<>();
    private final Map<Integer, String> brokers = new TreeMap<>();
    private final Map<String, String> views = new ConcurrentHashMap<>();
    private final Map<String, List<String>> history = new ConcurrentHashMap<>();
    private final Map<Integer, String> extraMqttConfig = new TreeMap<>();
    private final int keepaliveSeconds;
    private final int willDelaySeconds;
    private MqttClient observer;

    /**
     * @param root folder for the gateways' homes
     * @param keepaliveSeconds the gateways' MQTT keepalive
     * @param willDelaySeconds their will delay
     */
    GatewayGroup(Path root, int keepaliveSeconds, int willDelaySeconds) {
        this.root = root;
        this.keepaliveSeconds = keepaliveSeconds;
        this.willDelaySeconds = willDelaySeconds;
    }

    /** Watches the retained public views through {@code broker}. */
    GatewayGroup watch(String broker) throws MqttException {
        return watch(broker, options -> { });
    }

    /** Watches the retained public views through {@code broker}, connecting with options set by {@code security}. */
    GatewayGroup watch(String broker, java.util.function.Consumer<MqttConnectionOptions> security) throws MqttException {
        observer = new MqttClient(broker, "view-observer-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setCleanStart(true);
        security.accept(options);
        observer.connect(options);
        MqttSubscription sub = new MqttSubscription("edgeha/default/group/+/view", 1);
        IMqttMessageListener listener = (topic, m) -> {
            String group = topic.split("/")[3];
            String json = new String(m.getPayload(), StandardCharsets.UTF_8);
            views.put(group, json);
            history.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(json);
        };
        observer.subscribe(new MqttSubscription[] {sub}, new IMqttMessageListener[] {listener});
        return this;
    }

    Path home(int node) {
        return root.resolve("g" + node);
    }

    /** Lines added to gateway {@code node}'s {@code etc/org.edgeha.mqtt.cfg} at every later {@link #start}. */
    GatewayGroup mqttConfig(int node, String lines) {
        extraMqttConfig.put(node, lines);
        return this;
    }

    /** Copies a bundle into gateway {@code node}'s {@code deploy/}, where FileInstall starts it with the gateway. */
    GatewayGroup deploy(int node, Path bundle) throws IOException {
        Path deploy = home(node).resolve("deploy");
        Files.createDirectories(deploy);
        Files.copy(bundle, deploy.resolve(bundle.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /** Starts (or starts again, with the same home) gateway {@code node} against {@code broker}; waits until ready. */
    GatewayProcess start(int node, String broker) throws IOException, InterruptedException {
        return start(node, broker, "");
    }

    /**
     * As {@link #start(int, String)}, with {@code mqttConfig} (lines of {@code key=value}) added to the gateway's
     * {@code etc/org.edgeha.mqtt.cfg}, e.g. TLS stores and credentials.
     */
    GatewayProcess start(int node, String broker, String mqttConfig) throws IOException, InterruptedException {
        Path etc = home(node).resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("org.edgeha.mqtt.cfg"),
                "keepalive.s=" + keepaliveSeconds + "\nwill.delay.s=" + willDelaySeconds + "\n"
                        + extraMqttConfig.getOrDefault(node, "") + mqttConfig);
        Files.writeString(etc.resolve("org.edgeha.gs.mqtt.cfg"), ".domain.key=" + DOMAIN_KEY + "\n");
        GatewayProcess g = GatewayProcess.start(List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                "--edgeha.home=" + home(node), "--edgeha.node=" + node, "--edgeha.console=true", "--edgeha.broker=" + broker);
        gateways.put(node, g);
        brokers.put(node, broker);
        if (g.awaitLine(l -> l.contains("EdgeHA gateway ready: node " + node + ","), 60, TimeUnit.SECONDS).isEmpty()) {
            throw new AssertionError("gateway " + node + " not ready:\n" + g.output());
        }
        return g;
    }

    GatewayProcess gateway(int node) {
        return gateways.get(node);
    }

    /**
     * Types a command until an output line after it contains {@code expected} (the gs: commands may not be
     * registered at the very moment the ready line appears).
     */
    Optional<String> ask(int node, String command, String expected) throws Exception {
        GatewayProcess g = gateways.get(node);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            int before = g.lineCount();
            g.command(command);
            Optional<String> line = g.awaitLineAfter(before, l -> l.contains(expected), 2, TimeUnit.SECONDS);
            if (line.isPresent()) {
                return line;
            }
        }
        return Optional.empty();
    }

    /** Kills gateway {@code node} with SIGKILL, as a power cut. */
    void kill(int node) throws InterruptedException {
        gateways.remove(node).kill();
    }

    /** The last public view of {@code group} the observer received, as JSON, or empty. */
    Optional<String> view(String group) {
        return Optional.ofNullable(views.get(group));
    }

    /** Every public view of {@code group} the observer received so far, oldest first. */
    List<String> viewHistory(String group) {
        return List.copyOf(history.getOrDefault(group, List.of()));
    }

    /** Waits until the public view of {@code group} matches; returns it. */
    String awaitView(String group, Predicate<View> match, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            String json = views.get(group);
            if (json != null && match.test(View.parse(json))) {
                return json;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("public view of " + group + " never matched; last: " + views.get(group) + "\n" + outputs());
    }

    String outputs() {
        StringBuilder out = new StringBuilder();
        gateways.forEach((n, g) -> out.append("---- gateway ").append(n).append(" ----\n").append(g.output()).append('\n'));
        return out.toString();
    }

    /** Log of gateway {@code node}, for assertions on what it logged. */
    String log(int node) throws IOException {
        Path log = home(node).resolve("data/log/edgeha0.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        for (GatewayProcess g : gateways.values()) {
            g.close();
        }
        if (observer != null) {
            if (observer.isConnected()) {
                observer.disconnect();
            }
            observer.close();
        }
    }

    /** The fields of a public view the tests look at. */
    record View(long seq, List<String> members, String state) {
        private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
        private static final Pattern MEMBER = Pattern.compile("\\{\"node\":(\\d+),\"instance\":(\\d+)}");
        private static final Pattern STATE = Pattern.compile("\"state\":\"((?:[^\"\\\\]|\\\\.)*)\"");

        static View parse(String json) {
            Matcher seq = SEQ.matcher(json);
            Matcher state = STATE.matcher(json);
            List<String> members = new java.util.ArrayList<>();
            for (Matcher m = MEMBER.matcher(json); m.find();) {
                members.add(m.group(1) + "/" + m.group(2));
            }
            return new View(seq.find() ? Long.parseLong(seq.group(1)) : -1, members, state.find() ? state.group(1) : null);
        }

        /** @return the node numbers with members */
        List<Integer> nodes() {
            return members.stream().map(m -> Integer.parseInt(m.substring(0, m.indexOf('/')))).distinct().sorted().toList();
        }
    }
}
