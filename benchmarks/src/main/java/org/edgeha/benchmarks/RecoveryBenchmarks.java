package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.standalone.StandaloneHaConnections;
import org.edgeha.recovery.strategy.backoff.standalone.StandaloneBackoff;
import org.edgeha.testing.tcp.LineServer;

/**
 * Connection recovery (SPEC 5): the no-failure overhead of an HA-aware request/response against the
 * raw socket, and the time from a restarted server accepting again to the retried operation's success.
 */
final class RecoveryBenchmarks {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean quick;
    private long[] recoverySamples = new long[0];

    RecoveryBenchmarks(boolean quick) {
        this.quick = quick;
    }

    void run(Report report) throws Exception {
        List<Report.Row> rows = new ArrayList<>();
        String overheadNotes = overhead(rows);
        String recoveryNotes = recoveryTime(rows);
        report.section("Connection recovery",
                "A loopback TCP line server (`LineServer`, one thread per client). **Overhead**: the same "
                        + "request/response (`ping\\n` → `echo:ping\\n`) on the socket itself and through "
                        + "`HaConnections.invoke` on the HA-aware connection that owns it, alternating request by "
                        + "request. **Recovery**: the server is stopped (every connection closed), "
                        + "a request is issued, the server starts again after a random 50–250 ms; measured from the "
                        + "moment it listens again to the request's reply, with the default strategy (backoff, "
                        + "default settings).",
                rows, overheadNotes + "\n" + recoveryNotes + "\n\n" + recoveryChart(report));
        rows.stream().filter(r -> !r.goal().isEmpty()).forEach(r -> report.summary(new Report.Row(
                "Connection recovery: " + r.scenario(), r.median(), r.p99(), r.ratio(), r.goal(), r.met())));
    }

    /** The recovery times' distribution: where the backoff's steps show. */
    private String recoveryChart(Report report) throws java.io.IOException {
        long[] sorted = recoverySamples.clone();
        java.util.Arrays.sort(sorted);
        double[] pct = new double[sorted.length];
        double[] ms = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            pct[i] = 100.0 * (i + 1) / sorted.length;
            ms[i] = sorted[i] / 1e6;
        }
        return report.chart("recovery-time-distribution", "Recovery after a server restart, backoff strategy with "
                + "default settings", "percentile of restarts", "server listening → reply (ms)", false,
                List.of(new Charts.Series("recovered request", pct, ms)));
    }

    private String overhead(List<Report.Row> rows) throws Exception {
        int samples = quick ? 20_000 : 200_000;
        HaConnections ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
        try (LineServer server = LineServer.start()) {
            int coid = ha.connectAttach("bench", server.address(), Duration.ofSeconds(2),
                    StandaloneBackoff.defaultStrategy(ha), null, 0);
            // The raw path uses the very same socket, so the only difference is HaConnections.invoke.
            SocketChannel raw = ha.invoke(coid, SocketChannel.class, ch -> ch);
            ByteBuffer reply = ByteBuffer.allocate(64);
            for (int i = 0; i < 20_000; i++) { // warm-up: JIT both paths
                exchange(raw, reply);
                ha.invoke(coid, SocketChannel.class, ch -> exchange(ch, reply));
            }
            long[] rawNanos = new long[samples];
            long[] haNanos = new long[samples];
            for (int i = 0; i < samples; i++) {
                // Alternate every request, and which goes first, so that drift hits both alike.
                if ((i & 1) == 0) {
                    rawNanos[i] = timeRaw(raw, reply);
                    haNanos[i] = timeHa(ha, coid, reply);
                } else {
                    haNanos[i] = timeHa(ha, coid, reply);
                    rawNanos[i] = timeRaw(raw, reply);
                }
            }
            Stats r = Stats.of(rawNanos);
            Stats h = Stats.of(haNanos);
            double ratio = (double) h.median() / r.median();
            double meanRatio = h.mean() / r.mean();
            rows.add(new Report.Row("Raw request/response (" + r.count() + ")", Stats.time(r.median()), Stats.time(r.p99()),
                    "1.00 (anchor)", "", ""));
            rows.add(new Report.Row("HA-aware request/response (" + h.count() + ")", Stats.time(h.median()),
                    Stats.time(h.p99()), String.format(Locale.ROOT, "%.3f", ratio), "≤ 1.05 × raw",
                    ratio <= 1.05 ? "met" : "not met"));
            System.out.printf(Locale.ROOT, "recovery overhead: raw %s, HA %s, ratio %.3f (means %.3f)%n",
                    Stats.time(r.median()), Stats.time(h.median()), ratio, meanRatio);
            return String.format(Locale.ROOT, "Overhead: ratio of medians %.3f, of means %.3f (raw mean %s, HA mean %s); "
                    + "both paths on the same socket, alternating request by request.",
                    ratio, meanRatio, Stats.time(r.mean()), Stats.time(h.mean()));
        } finally {
            StandaloneHaConnections.stop(ha);
        }
    }

    private static long timeRaw(SocketChannel raw, ByteBuffer reply) throws IOException {
        long t0 = System.nanoTime();
        exchange(raw, reply);
        return System.nanoTime() - t0;
    }

    private static long timeHa(HaConnections ha, int coid, ByteBuffer reply) throws Exception {
        long t0 = System.nanoTime();
        ha.invoke(coid, SocketChannel.class, ch -> exchange(ch, reply));
        return System.nanoTime() - t0;
    }

    private String recoveryTime(List<Report.Row> rows) throws Exception {
        int rounds = quick ? 20 : 200;
        HaConnections ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
        try (LineServer server = LineServer.start()) {
            int coid = ha.connectAttach("bench", server.address(), Duration.ofSeconds(2),
                    StandaloneBackoff.defaultStrategy(ha), null, 0);
            ByteBuffer reply = ByteBuffer.allocate(64);
            long[] samples = new long[rounds];
            for (int round = 0; round < rounds; round++) {
                server.stop();
                long downMillis = ThreadLocalRandom.current().nextLong(50, 251);
                long[] listening = new long[1];
                Thread restarter = new Thread(() -> {
                    try {
                        Thread.sleep(downMillis); // the server's downtime
                        server.restart();
                        listening[0] = System.nanoTime();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                restarter.start();
                ha.invoke(coid, SocketChannel.class, ch -> exchange(ch, reply));
                long done = System.nanoTime();
                restarter.join();
                samples[round] = Math.max(0, done - listening[0]);
            }
            Stats s = Stats.of(samples);
            recoverySamples = samples;
            rows.add(new Report.Row("Recovered request after the server listens again (" + s.count() + ")",
                    Stats.time(s.median()), Stats.time(s.p99()), "", "median ≤ 50 ms",
                    s.median() <= 50_000_000L ? "met" : "not met"));
            System.out.printf(Locale.ROOT, "recovery time: median %s, p99 %s%n", Stats.time(s.median()), Stats.time(s.p99()));
            return String.format(Locale.ROOT, "Recovery: min %s, max %s over %d restarts (downtime 50–250 ms).",
                    Stats.time(s.min()), Stats.time(s.max()), s.count());
        } finally {
            StandaloneHaConnections.stop(ha);
        }
    }

    private static String exchange(SocketChannel channel, ByteBuffer reply) throws IOException {
        channel.write(ByteBuffer.wrap(PING));
        reply.clear();
        while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
            if (channel.read(reply) < 0) {
                throw new java.io.EOFException("closed before the reply");
            }
        }
        return null;
    }
}
