package org.edgeha.benchmarks;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.internal.StandaloneRecovery;
import org.edgeha.recovery.strategy.backoff.internal.BackoffAccess;
import org.edgeha.testing.tcp.LineServer;

/**
 * Connection recovery (SPEC 5): the no-failure overhead of an HA-aware request/response against the
 * raw socket, and the time from a restarted server accepting again to the retried operation's success.
 */
final class RecoveryBenchmarks {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean quick;

    RecoveryBenchmarks(boolean quick) {
        this.quick = quick;
    }

    void run(Report report) throws Exception {
        List<Report.Row> rows = new ArrayList<>();
        String overheadNotes = overhead(rows);
        String recoveryNotes = recoveryTime(rows);
        report.section("Connection recovery",
                "A loopback TCP line server (`LineServer`, one thread per client). **Overhead**: the same "
                        + "request/response (`ping\\n` → `echo:ping\\n`) on a raw `SocketChannel` and through "
                        + "`HaConnections.invoke` on an HA-aware connection, in alternating blocks of 1,000 so that "
                        + "both see the same machine. **Recovery**: the server is stopped (every connection closed), "
                        + "a request is issued, the server starts again after a random 50–250 ms; measured from the "
                        + "moment it listens again to the request's reply, with the default strategy (backoff, "
                        + "default settings).",
                rows, overheadNotes + "\n" + recoveryNotes);
    }

    private String overhead(List<Report.Row> rows) throws Exception {
        int blocks = quick ? 10 : 100;
        int perBlock = 1_000;
        HaConnections ha = StandaloneRecovery.start(StandaloneRecovery.quietLogger());
        try (LineServer server = LineServer.start();
             SocketChannel raw = SocketChannel.open()) {
            // Connected exactly as the HA-aware connection is (TcpType.connect), so only invoke differs.
            raw.setOption(StandardSocketOptions.TCP_NODELAY, true);
            raw.socket().connect(server.address(), 2000);
            int coid = ha.connectAttach("bench", server.address(), Duration.ofSeconds(2),
                    BackoffAccess.defaultStrategy(ha), null, 0);
            ByteBuffer reply = ByteBuffer.allocate(64);
            for (int i = 0; i < 20_000; i++) { // warm-up: JIT both paths
                exchange(raw, reply);
                ha.invoke(coid, SocketChannel.class, ch -> exchange(ch, reply));
            }
            long[] rawNanos = new long[blocks * perBlock];
            long[] haNanos = new long[blocks * perBlock];
            int n = 0;
            for (int b = 0; b < blocks; b++) {
                // Alternate which path goes first, so neither always follows the other's idle server thread.
                if (b % 2 == 0) {
                    timeRaw(raw, reply, rawNanos, n, perBlock);
                    timeHa(ha, coid, reply, haNanos, n, perBlock);
                } else {
                    timeHa(ha, coid, reply, haNanos, n, perBlock);
                    timeRaw(raw, reply, rawNanos, n, perBlock);
                }
                n += perBlock;
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
            return String.format(Locale.ROOT, "Overhead: ratio of medians %.3f, of means %.3f (raw mean %s, HA mean %s).",
                    ratio, meanRatio, Stats.time(r.mean()), Stats.time(h.mean()));
        } finally {
            StandaloneRecovery.stop(ha);
        }
    }

    private String recoveryTime(List<Report.Row> rows) throws Exception {
        int rounds = quick ? 20 : 200;
        HaConnections ha = StandaloneRecovery.start(StandaloneRecovery.quietLogger());
        try (LineServer server = LineServer.start()) {
            int coid = ha.connectAttach("bench", server.address(), Duration.ofSeconds(2),
                    BackoffAccess.defaultStrategy(ha), null, 0);
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
            rows.add(new Report.Row("Recovered request after the server listens again (" + s.count() + ")",
                    Stats.time(s.median()), Stats.time(s.p99()), "", "median ≤ 50 ms",
                    s.median() <= 50_000_000L ? "met" : "not met"));
            System.out.printf(Locale.ROOT, "recovery time: median %s, p99 %s%n", Stats.time(s.median()), Stats.time(s.p99()));
            return String.format(Locale.ROOT, "Recovery: min %s, max %s over %d restarts (downtime 50–250 ms).",
                    Stats.time(s.min()), Stats.time(s.max()), s.count());
        } finally {
            StandaloneRecovery.stop(ha);
        }
    }

    private static void timeRaw(SocketChannel raw, ByteBuffer reply, long[] into, int from, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            exchange(raw, reply);
            into[from + i] = System.nanoTime() - t0;
        }
    }

    private static void timeHa(HaConnections ha, int coid, ByteBuffer reply, long[] into, int from, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            ha.invoke(coid, SocketChannel.class, ch -> exchange(ch, reply));
            into[from + i] = System.nanoTime() - t0;
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
