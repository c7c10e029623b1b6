package org.edgeha.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * ZooKeeper through Curator, what a Java user would pick for coordination instead: one embedded ZooKeeper server
 * ({@link TestingServer}, loopback only) and 5 participants, each with its own {@link CuratorFramework}. A
 * double barrier passed by all 5, a {@code setData} seen by the 4 others' caches, and the time from the
 * {@code kill -9} of a participant JVM to the deletion of its ephemeral znode seen by the 4 others.
 */
final class CuratorPeers implements AutoCloseable {

    static final int SIZE = 5;
    /**
     * ZooKeeper's sample configuration (zoo_sample.cfg). TestingServer's default, ZooKeeper's built-in 3000 ms,
     * would not grant a 4 s session: the shortest is 2 ticks.
     */
    static final int TICK_MS = 2_000;
    /** So that Curator's default session timeout (60 s) is granted as it is (ZooKeeper's cap is 20 ticks). */
    static final int MAX_SESSION_MS = 60_000;
    private static final String ROOT = "/edgeha-bench";
    /** How long a barrier round may take before it is abandoned; a round normally takes milliseconds. */
    static final int ROUND_TIMEOUT_S = 12;
    private static final int ENTERING = 1;
    private static final int LEAVING = 2;
    private static final int DONE = 3;
    private static final String[] PHASES = {"the start", "enter()", "leave()", "the end"};

    private final TestingServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();

    CuratorPeers() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1,
                Map.of("clientPortAddress", "127.0.0.1", "maxSessionTimeout", String.valueOf(MAX_SESSION_MS)),
                "127.0.0.1");
        server = new TestingServer(spec, true);
        try {
            for (int i = 0; i < SIZE; i++) {
                CuratorFramework c = CuratorFrameworkFactory.newClient(server.getConnectString(),
                        new ExponentialBackoffRetry(100, 3));
                clients.add(c);
                c.start();
                if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Curator client " + i + " did not connect to " + server);
                }
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    String connectString() {
        return server.getConnectString();
    }

    /** The barrier rounds that finished, and a description of each round that hung. */
    record Barrier(long[] nanos, List<String> hung) {
    }

    /**
     * Rounds of a {@link DistributedDoubleBarrier} of 5 (a new path each round): the participants' threads wait at
     * a gate that opens after a random pause; each enters and leaves. A round in which a participant has not come
     * back from {@code enter} or {@code leave} after {@value #ROUND_TIMEOUT_S} s is abandoned (its threads are
     * interrupted) and described instead of counted.
     *
     * @return per round that finished, from the gate's opening to the last participant's return from {@code leave}
     */
    Barrier barrier(int warmup, int rounds, int pauseMinMicros, int pauseMaxMicros) throws Exception {
        String base = ROOT + "/barrier-" + System.nanoTime();
        List<Long> nanos = new ArrayList<>();
        List<String> hung = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SIZE);
        try {
            for (int r = 0; r < warmup + rounds; r++) {
                String path = base + "/r" + r;
                CountDownLatch atGate = new CountDownLatch(SIZE);
                CountDownLatch gate = new CountDownLatch(1);
                AtomicIntegerArray phase = new AtomicIntegerArray(SIZE);
                List<Future<Long>> participants = new ArrayList<>();
                for (int i = 0; i < SIZE; i++) {
                    int me = i;
                    participants.add(pool.submit(() -> {
                        DistributedDoubleBarrier b = new DistributedDoubleBarrier(clients.get(me), path, SIZE);
                        atGate.countDown();
                        gate.await();
                        phase.set(me, ENTERING);
                        if (!b.enter(ROUND_TIMEOUT_S - 2, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("enter() timed out");
                        }
                        phase.set(me, LEAVING);
                        if (!b.leave(ROUND_TIMEOUT_S - 2, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("leave() timed out");
                        }
                        phase.set(me, DONE);
                        return System.nanoTime();
                    }));
                }
                if (!atGate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the barrier participants' threads did not start");
                }
                TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(pauseMinMicros, pauseMaxMicros));
                long t0 = System.nanoTime();
                gate.countDown();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(ROUND_TIMEOUT_S);
                long last = Long.MIN_VALUE;
                List<String> failed = new ArrayList<>();
                for (int i = 0; i < SIZE; i++) {
                    try {
                        last = Math.max(last, participants.get(i).get(Math.max(0, deadline - System.nanoTime()),
                                TimeUnit.NANOSECONDS));
                    } catch (ExecutionException e) {
                        failed.add("participant " + (i + 1) + ": " + e.getCause().getMessage());
                    } catch (TimeoutException e) {
                        failed.add("participant " + (i + 1) + " still in " + PHASES[phase.get(i)]);
                    }
                }
                if (failed.isEmpty()) {
                    if (r >= warmup) {
                        nanos.add(last - t0);
                    }
                } else {
                    hung.add("round " + (r + 1) + (r < warmup ? " (warm-up)" : "") + ": " + String.join(", ", failed));
                    System.out.println("peers: Curator double barrier " + hung.get(hung.size() - 1));
                    pool.shutdownNow(); // interrupts whoever still waits; the next round gets fresh threads
                    pool = Executors.newFixedThreadPool(SIZE);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Barrier(nanos.stream().mapToLong(Long::longValue).toArray(), hung);
    }

    /** One state update and the times the watchers saw it. */
    private static final class Update {
        final byte[] value;
        final CountDownLatch seen = new CountDownLatch(SIZE - 1);
        final AtomicLong last = new AtomicLong();

        Update(byte[] value) {
            this.value = value;
        }

        void saw(byte[] data) {
            if (Arrays.equals(value, data)) {
                last.accumulateAndGet(System.nanoTime(), Math::max);
                seen.countDown();
            }
        }
    }

    /**
     * Participant 1 writes a znode ({@code setData}); the other 4 watch it with a {@link CuratorCache} each.
     *
     * @return per update, from the {@code setData} call to the last of the 4 caches' change events
     */
    long[] setData(int warmup, int count, int pauseMinMicros, int pauseMaxMicros) throws Exception {
        String path = ROOT + "/state-" + System.nanoTime();
        clients.get(0).create().creatingParentContainersIfNeeded().forPath(path, bytes("init"));
        List<CuratorCache> caches = new ArrayList<>();
        AtomicReference<Update> current = new AtomicReference<>(new Update(bytes("init")));
        try {
            CountDownLatch initialized = new CountDownLatch(SIZE - 1);
            for (int i = 1; i < SIZE; i++) {
                CuratorCache cache = CuratorCache.build(clients.get(i), path);
                cache.listenable().addListener(CuratorCacheListener.builder()
                        .forChanges((before, after) -> current.get().saw(after.getData()))
                        .forInitialized(initialized::countDown).build());
                caches.add(cache);
                cache.start();
            }
            if (!initialized.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Curator caches did not start");
            }
            long[] nanos = new long[count];
            for (int i = 0; i < warmup + count; i++) {
                TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(pauseMinMicros, pauseMaxMicros));
                Update u = new Update(bytes("v" + i));
                current.set(u);
                long t0 = System.nanoTime();
                clients.get(0).setData().forPath(path, u.value);
                if (!u.seen.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("update " + i + " not seen by all 4 watchers within 10 s");
                }
                if (i >= warmup) {
                    nanos[i - warmup] = u.last.get() - t0;
                }
            }
            return nanos;
        } finally {
            caches.forEach(CuratorCache::close);
        }
    }

    /** One repetition of a failure: the times to the survivors' deletion events, and the session timeout. */
    record Kill(long lastSurvivor, long firstSurvivor, int sessionMs) {
    }

    /**
     * A fifth participant in a child JVM creates an ephemeral znode and is killed with SIGKILL; the 4 participants
     * here watch the znode's parent with a {@link CuratorCache} each until it is deleted (its session expired).
     *
     * @param sessionTimeout the victim's session timeout in ms, or {@code "default"} for Curator's
     * @return one entry per repetition that saw the deletion within {@code timeoutMs}; fewer if one did not
     */
    List<Kill> kill(String sessionTimeout, int reps, long timeoutMs) throws Exception {
        String parent = ROOT + "/members-" + System.nanoTime();
        clients.get(0).create().creatingParentContainersIfNeeded().forPath(parent);
        List<CuratorCache> caches = new ArrayList<>();
        List<Kill> kills = new ArrayList<>();
        AtomicReference<String> watched = new AtomicReference<>();
        AtomicLongArray created = new AtomicLongArray(SIZE - 1);
        AtomicLongArray deleted = new AtomicLongArray(SIZE - 1);
        try {
            for (int i = 1; i < SIZE; i++) {
                int me = i - 1;
                CuratorCache cache = CuratorCache.build(clients.get(i), parent);
                cache.listenable().addListener(CuratorCacheListener.builder()
                        .forCreates(node -> {
                            if (node.getPath().equals(watched.get())) {
                                created.set(me, System.nanoTime());
                            }
                        })
                        .forDeletes(node -> {
                            if (node.getPath().equals(watched.get())) {
                                deleted.compareAndSet(me, 0, System.nanoTime());
                            }
                        }).build());
                caches.add(cache);
                cache.start();
            }
            for (int rep = 0; rep < reps; rep++) {
                String znode = parent + "/victim-" + rep;
                for (int i = 0; i < SIZE - 1; i++) {
                    created.set(i, 0);
                    deleted.set(i, 0);
                }
                watched.set(znode);
                try (ChildJvm victim = new ChildJvm(60_000, "curator", connectString(), sessionTimeout, znode)) {
                    int sessionMs = Integer.parseInt(victim.ready());
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (anyZero(created)) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new IllegalStateException("the watchers never saw " + znode + " created");
                        }
                        Thread.sleep(10);
                    }
                    Thread.sleep(1_000);
                    long t0 = System.nanoTime();
                    victim.kill();
                    deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                    while (anyZero(deleted) && System.nanoTime() - deadline < 0) {
                        Thread.sleep(5);
                    }
                    if (anyZero(deleted)) {
                        System.out.printf("peers: Curator (session %d ms): the watchers did not all see %s deleted "
                                + "within %d ms%n", sessionMs, znode, timeoutMs);
                        break;
                    }
                    long[] seen = IntStream.range(0, SIZE - 1).mapToLong(deleted::get).toArray();
                    Kill k = new Kill(Arrays.stream(seen).max().orElseThrow() - t0,
                            Arrays.stream(seen).min().orElseThrow() - t0, sessionMs);
                    kills.add(k);
                    System.out.printf("peers: Curator kill -9 of a participant JVM (session %d ms): ephemeral znode "
                            + "deletion seen by all 4 others after %s%n", sessionMs,
                            PeerBenchmarks.duration(k.lastSurvivor()));
                }
            }
            return kills;
        } finally {
            caches.forEach(CuratorCache::close);
        }
    }

    private static boolean anyZero(AtomicLongArray times) {
        return IntStream.range(0, times.length()).anyMatch(i -> times.get(i) == 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (CuratorFramework c : clients) {
            c.close();
        }
        server.close();
    }
}
