package org.edgeha.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * A plain Paho client watching the retained public view of one group ({@code edgeha/default/group/G/view}) the
 * way another system would, noting when each view arrived; and the gateways' status messages
 * ({@code edgeha/default/node/N/status}, an offline one is a gateway's will), to tell the broker's share of a
 * failure detection from the gateways'.
 */
final class ViewWatch implements AutoCloseable {

    /** A view as it arrived: when ({@link System#nanoTime()}), its sequence number and member nodes. */
    record Seen(long nanos, long seq, List<Integer> nodes) {
    }

    /** A node status as it arrived. */
    record Status(long nanos, int node, boolean online) {
    }

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("\\{\"node\":(\\d+),\"instance\":(\\d+)}");

    private final MqttClient client;
    private final List<Seen> seen = new ArrayList<>();
    private final List<Status> statuses = new ArrayList<>();

    ViewWatch(String broker, String group) throws MqttException {
        client = new MqttClient(broker, "bench-view-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options);
        IMqttMessageListener listener = (topic, m) -> {
            long now = System.nanoTime();
            Seen s = parse(now, new String(m.getPayload(), StandardCharsets.UTF_8));
            synchronized (seen) {
                seen.add(s);
                seen.notifyAll();
            }
        };
        IMqttMessageListener status = (topic, m) -> {
            long now = System.nanoTime();
            String[] levels = topic.split("/");
            boolean online = new String(m.getPayload(), StandardCharsets.UTF_8).contains("\"online\"");
            synchronized (statuses) {
                statuses.add(new Status(now, Integer.parseInt(levels[levels.length - 2]), online));
            }
        };
        client.subscribe(new MqttSubscription[] {new MqttSubscription("edgeha/default/group/" + group + "/view", 1),
            new MqttSubscription("edgeha/default/node/+/status", 1)}, new IMqttMessageListener[] {listener, status});
    }

    static Seen parse(long nanos, String json) {
        Matcher seq = SEQ.matcher(json);
        List<Integer> nodes = new ArrayList<>();
        for (Matcher m = MEMBER.matcher(json); m.find();) {
            int node = Integer.parseInt(m.group(1));
            if (!nodes.contains(node)) {
                nodes.add(node);
            }
        }
        nodes.sort(null);
        return new Seen(nanos, seq.find() ? Long.parseLong(seq.group(1)) : -1, List.copyOf(nodes));
    }

    /** The first view that arrived at or after {@code afterNanos} and whose member nodes match. */
    Optional<Seen> await(long afterNanos, Predicate<List<Integer>> match, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        int from = 0;
        synchronized (seen) {
            while (true) {
                for (; from < seen.size(); from++) {
                    Seen s = seen.get(from);
                    if (s.nanos() - afterNanos >= 0 && match.test(s.nodes())) {
                        return Optional.of(s);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The first offline status of {@code node} that arrived at or after {@code afterNanos}. */
    Optional<Status> offline(int node, long afterNanos) {
        synchronized (statuses) {
            return statuses.stream().filter(s -> s.node() == node && !s.online() && s.nanos() - afterNanos >= 0)
                    .findFirst();
        }
    }

    /** The views that arrived in [from, to]. */
    List<Seen> between(long fromNanos, long toNanos) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.nanos() - fromNanos >= 0 && toNanos - s.nanos() >= 0).toList();
        }
    }

    /** The node statuses that arrived in [from, to]. */
    List<Status> statusesBetween(long fromNanos, long toNanos) {
        synchronized (statuses) {
            return statuses.stream().filter(s -> s.nanos() - fromNanos >= 0 && toNanos - s.nanos() >= 0).toList();
        }
    }

    /** The last view seen, for failure messages. */
    Optional<Seen> last() {
        synchronized (seen) {
            return seen.isEmpty() ? Optional.empty() : Optional.of(seen.get(seen.size() - 1));
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
