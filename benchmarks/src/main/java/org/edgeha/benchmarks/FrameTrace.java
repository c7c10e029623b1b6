package org.edgeha.benchmarks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Diagnostics only ({@code -Dedgeha.bench.trace=true}, which also prints the gateways' busiest threads at the
 * end of each group): a Paho client that receives a copy of every Group Services
 * frame ({@code edgeha-gw/default/gs/node/N}) and notes when it arrived, who sent it (the envelope's sender node) and to
 * whom. The broker forwards each frame to this client as it forwards it to its addressee, so the arrival times show
 * where a protocol's time goes: on the wire or inside a gateway. It adds one subscriber to the broker's fan-out, so
 * the figures taken with it are not the reported ones.
 */
final class FrameTrace implements AutoCloseable {

    /** One frame as the spy saw it. */
    record Frame(long nanos, int from, int to, int bytes) {
    }

    private final MqttClient client;
    private final List<Frame> frames = new ArrayList<>();

    FrameTrace(String broker) throws MqttException {
        client = new MqttClient(broker, "bench-trace-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options);
        IMqttMessageListener listener = (topic, m) -> {
            long now = System.nanoTime();
            byte[] p = m.getPayload();
            int from = p.length >= 7 ? ByteBuffer.wrap(p, 3, 4).getInt() : -1;
            int to = Integer.parseInt(topic.substring(topic.lastIndexOf('/') + 1));
            synchronized (frames) {
                frames.add(new Frame(now, from, to, p.length));
            }
        };
        client.subscribe(new MqttSubscription[] {new MqttSubscription("edgeha-gw/default/gs/node/+", 0)},
                new IMqttMessageListener[] {listener});
    }

    /** The first frame from {@code from} to {@code to} that arrived at or after {@code after}, or -1. */
    private long first(List<Frame> all, int from, int to, long after) {
        for (Frame f : all) {
            if (f.from() == from && f.to() == to && f.nanos() - after >= 0) {
                return f.nanos();
            }
        }
        return -1;
    }

    /**
     * Splits one state change proposed on {@code proposer} (coordinated by {@code coordinator}, with
     * {@code others} the remaining members) into its frames' arrival times, relative to {@code t0}.
     *
     * @return for 1 phase {request, commit to proposer, proposer told}; for 2 phases {request, phase to
     *     proposer, last vote, commit to proposer, proposer told}; empty when a frame is missing
     */
    long[] split(int phases, int proposer, int coordinator, List<Integer> others, long t0, long t1) {
        List<Frame> all;
        synchronized (frames) {
            all = List.copyOf(frames);
        }
        long request = first(all, proposer, coordinator, t0);
        if (request < 0) {
            return new long[0];
        }
        if (phases == 1) {
            long commit = first(all, coordinator, proposer, request);
            return commit < 0 ? new long[0] : new long[] {request - t0, commit - t0, t1 - t0};
        }
        long phase = first(all, coordinator, proposer, request);
        if (phase < 0) {
            return new long[0];
        }
        long lastVote = first(all, proposer, coordinator, phase);
        for (int o : others) {
            lastVote = Math.max(lastVote, first(all, o, coordinator, phase));
        }
        long commit = first(all, coordinator, proposer, lastVote);
        return commit < 0 ? new long[0] : new long[] {request - t0, phase - t0, lastVote - t0, commit - t0, t1 - t0};
    }

    static String describe(int phases, List<long[]> splits) {
        String[] names = phases == 1 ? new String[] {"request seen", "commit seen", "proposer told"}
                : new String[] {"request seen", "phase seen", "last vote seen", "commit seen", "proposer told"};
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d-phase, %d traced:", phases, splits.size()));
        for (int i = 0; i < names.length; i++) {
            int k = i;
            long[] column = splits.stream().mapToLong(s -> s[k]).toArray();
            long[] step = splits.stream().mapToLong(s -> s[k] - (k == 0 ? 0 : s[k - 1])).toArray();
            if (column.length == 0) {
                break;
            }
            out.append(String.format(Locale.ROOT, " %s at %s (+%s)", names[i], Stats.time(Stats.of(column).median()),
                    Stats.time(Stats.of(step).median())));
        }
        return out.toString();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
