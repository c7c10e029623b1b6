package org.edgeha.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.MethodCall;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.RpcDispatcher;
import org.jgroups.conf.ConfiguratorFactory;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.util.RspList;

/**
 * JGroups, the group library a Java user would pick instead: a 5-member cluster on the stock {@code tcp.xml} over
 * loopback. Synchronous RPC to all members (incl. the caller, {@code ResponseMode.GET_ALL}) and the time from the
 * {@code kill -9} of a member JVM to the survivors' new view.
 */
final class JGroupsPeers {

    static final String CLUSTER = "edgeha-bench-peers";
    static final int SIZE = 5;
    /** The tuned failure detection of the anchors (3b'', 3b''''): a suspicion is verified for 0.5 s, not 1.5 s. */
    static final String TUNED_VERIFY_SUSPECT = "500";
    static final String TUNED_FD_ALL3_TIMEOUT = "3000";
    static final String TUNED_FD_ALL3_INTERVAL = "1000";
    private static final long VIEW_TIMEOUT_MS = 60_000;

    /** What RPC targets expose: a public method JGroups calls by reflection. */
    public static final class Target {
        public int ping() {
            return 1;
        }
    }

    /** The two RPC series, measured in alternating blocks. */
    record Rpc(long[] fromCoordinator, long[] fromOther) {
    }

    private JGroupsPeers() {
    }

    /**
     * The stock {@code tcp.xml}, changed only as the anchors' setup says: bind address 127.0.0.1 (FD_SOCK2's too),
     * this member's port with {@code port_range 0}, every member's port in TCPPING's initial hosts; no banner on
     * connect.
     *
     * @param tuned VERIFY_SUSPECT2 and FD_ALL3 as {@link #TUNED_VERIFY_SUSPECT} and the FD_ALL3 constants say
     */
    static JChannel channel(String name, int port, List<Integer> ports, boolean tuned) throws Exception {
        ProtocolStackConfigurator config = ConfiguratorFactory.getStackConfigurator("tcp.xml");
        String hosts = ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        for (ProtocolConfiguration protocol : config.getProtocolStack()) {
            Map<String, String> p = protocol.getProperties();
            switch (protocol.getProtocolName()) {
                case "TCP" -> {
                    p.put("bind_addr", "127.0.0.1");
                    p.put("bind_port", String.valueOf(port));
                    p.put("port_range", "0");
                }
                case "TCPPING" -> {
                    p.put("initial_hosts", hosts);
                    p.put("port_range", "0");
                }
                case "FD_SOCK2" -> p.put("bind_addr", "127.0.0.1"); // it listens on every interface otherwise
                case "pbcast.GMS" -> p.put("print_local_addr", "false");
                case "FD_ALL3" -> {
                    if (tuned) {
                        p.put("timeout", TUNED_FD_ALL3_TIMEOUT);
                        p.put("interval", TUNED_FD_ALL3_INTERVAL);
                    }
                }
                case "VERIFY_SUSPECT2" -> {
                    if (tuned) {
                        p.put("timeout", TUNED_VERIFY_SUSPECT);
                    }
                }
                default -> {
                    // as in tcp.xml
                }
            }
        }
        return new JChannel(config).name(name);
    }

    /** @return {@code count} ports free on 127.0.0.1, the lowest from {@code from} on (the anchors used 7800..7804) */
    static List<Integer> freePorts(int count, int from) throws IOException {
        List<Integer> ports = new ArrayList<>();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int port = from; ports.size() < count && port < from + 1_000; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, loopback)) {
                ports.add(port);
            } catch (IOException taken) {
                // try the next one
            }
        }
        if (ports.size() < count) {
            throw new IOException("no " + count + " free ports on 127.0.0.1 from " + from);
        }
        return ports;
    }

    /**
     * RPC to all 5 members from the coordinator and from another member, in alternating blocks of 50, each call
     * after a random pause of {@code pauseMinMicros..pauseMaxMicros}.
     */
    static Rpc rpc(int warmup, int count, int pauseMinMicros, int pauseMaxMicros) throws Exception {
        List<Integer> ports = freePorts(SIZE, 7800);
        List<JChannel> channels = new ArrayList<>();
        List<RpcDispatcher> dispatchers = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                JChannel ch = channel("rpc" + (i + 1), ports.get(i), ports, false);
                channels.add(ch);
                dispatchers.add(new RpcDispatcher(ch, new Target()));
                ch.connect(CLUSTER);
            }
            for (JChannel ch : channels) {
                awaitView(ch, SIZE);
            }
            Address coordinator = channels.get(0).getView().getCoord();
            int coord = -1;
            for (int i = 0; i < SIZE; i++) {
                if (channels.get(i).getAddress().equals(coordinator)) {
                    coord = i;
                }
            }
            RpcDispatcher fromCoord = dispatchers.get(coord);
            RpcDispatcher fromOther = dispatchers.get((coord + 1) % SIZE);
            MethodCall call = new MethodCall(Target.class.getMethod("ping"));
            RequestOptions sync = RequestOptions.SYNC().timeout(10_000);
            for (int i = 0; i < warmup; i++) {
                callAll(i % 2 == 0 ? fromCoord : fromOther, call, sync);
            }
            long[] a = new long[count];
            long[] b = new long[count];
            int block = 50;
            for (int done = 0; done < count; done += block) {
                for (int side = 0; side < 2; side++) {
                    RpcDispatcher from = side == 0 ? fromCoord : fromOther;
                    long[] into = side == 0 ? a : b;
                    for (int i = done; i < Math.min(count, done + block); i++) {
                        TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current()
                                .nextLong(pauseMinMicros, pauseMaxMicros));
                        long t0 = System.nanoTime();
                        callAll(from, call, sync);
                        into[i] = System.nanoTime() - t0;
                    }
                }
            }
            return new Rpc(a, b);
        } finally {
            for (int i = channels.size() - 1; i >= 0; i--) {
                channels.get(i).close();
            }
        }
    }

    private static void callAll(RpcDispatcher from, MethodCall call, RequestOptions options) throws Exception {
        RspList<Integer> answers = from.callRemoteMethods(null, call, options);
        if (answers.numReceived() != SIZE) {
            throw new IllegalStateException("JGroups RPC answered by " + answers.numReceived() + " of " + SIZE + ": "
                    + answers);
        }
    }

    private static void awaitView(JChannel ch, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VIEW_TIMEOUT_MS);
        while (ch.getView() == null || ch.getView().size() != size) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("JGroups member " + ch.getName() + " never saw " + size
                        + " members; view " + ch.getView());
            }
            Thread.sleep(10);
        }
    }

    /** One repetition of a failure: when each survivor installed the view without the victim. */
    record Kill(long lastSurvivor, long coordinator) {
    }

    /**
     * Four members in this JVM (the first is the coordinator) and a fifth in a child JVM, which is killed with
     * SIGKILL {@code reps} times and started again in between.
     *
     * @return one entry per repetition that saw the new view within {@code timeoutMs}; fewer if one did not
     */
    static List<Kill> kill(boolean tuned, int reps, long timeoutMs, int portsFrom) throws Exception {
        List<Integer> ports = freePorts(SIZE, portsFrom);
        List<Survivor> survivors = new ArrayList<>();
        List<Kill> kills = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE - 1; i++) {
                Survivor s = new Survivor(channel("s" + (i + 1), ports.get(i), ports, tuned));
                survivors.add(s);
                s.channel.connect(CLUSTER);
            }
            for (int rep = 0; rep < reps; rep++) {
                try (ChildJvm victim = new ChildJvm(VIEW_TIMEOUT_MS, "jgroups", "victim" + rep,
                        String.valueOf(ports.get(SIZE - 1)), ports.stream().map(String::valueOf)
                                .collect(Collectors.joining(",")), tuned ? "tuned" : "default")) {
                    for (Survivor s : survivors) {
                        awaitView(s.channel, SIZE);
                    }
                    List<Address> local = survivors.stream().map(s -> s.channel.getAddress()).toList();
                    Address gone = survivors.get(0).channel.getView().getMembers().stream()
                            .filter(m -> !local.contains(m)).findFirst().orElseThrow();
                    if (gone.equals(survivors.get(0).channel.getView().getCoord())) {
                        throw new IllegalStateException("the member to kill coordinates");
                    }
                    Thread.sleep(1_000); // the join's last messages settle first
                    survivors.forEach(s -> s.watch(gone));
                    long t0 = System.nanoTime();
                    victim.kill();
                    long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                    while (survivors.stream().anyMatch(s -> s.goneAt == 0) && System.nanoTime() - deadline < 0) {
                        Thread.sleep(5);
                    }
                    if (survivors.stream().anyMatch(s -> s.goneAt == 0)) {
                        System.out.printf("peers: JGroups (%s) survivors did not all see member %s leave within "
                                + "%d ms%n", tuned ? "tuned" : "default", gone, timeoutMs);
                        break;
                    }
                    long last = survivors.stream().mapToLong(s -> s.goneAt - t0).max().orElseThrow();
                    kills.add(new Kill(last, survivors.get(0).goneAt - t0));
                    System.out.printf("peers: JGroups (%s) kill -9 of a member JVM: all survivors' new view after "
                            + "%s (coordinator %s)%n", tuned ? "tuned" : "default", PeerBenchmarks.duration(last),
                            PeerBenchmarks.duration(survivors.get(0).goneAt - t0));
                }
            }
            return kills;
        } finally {
            for (int i = survivors.size() - 1; i >= 0; i--) {
                survivors.get(i).channel.close();
            }
        }
    }

    /** A member in this JVM that notes when a view without the watched member arrives. */
    private static final class Survivor implements Receiver {
        final JChannel channel;
        volatile Address watched;
        volatile long goneAt;

        Survivor(JChannel channel) {
            this.channel = channel;
            channel.setReceiver(this);
        }

        void watch(Address member) {
            goneAt = 0;
            watched = member;
        }

        @Override
        public void viewAccepted(View view) {
            long now = System.nanoTime();
            Address w = watched;
            if (w != null && goneAt == 0 && !view.containsMember(w)) {
                goneAt = now;
            }
        }
    }
}
