package org.edgeha.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.jgroups.JChannel;

/**
 * The member that the peer benchmarks kill: a JGroups channel or a Curator client with an ephemeral znode, in a
 * JVM of its own ({@link ChildJvm}). It prints {@value #READY} once it is in, then stays until its standard input
 * ends or it is killed.
 *
 * <pre>
 * PeerMember jgroups NAME PORT PORT,PORT,... default|tuned
 * PeerMember curator CONNECT-STRING SESSION-TIMEOUT-MS|default ZNODE
 * </pre>
 */
public final class PeerMember {

    static final String READY = "peer-member-ready";

    private PeerMember() {
    }

    public static void main(String[] args) throws Exception {
        AutoCloseable member = switch (args[0]) {
            case "jgroups" -> jgroups(args[1], Integer.parseInt(args[2]),
                    Arrays.stream(args[3].split(",")).map(Integer::valueOf).toList(), "tuned".equals(args[4]));
            case "curator" -> curator(args[1], args[2], args[3]);
            default -> throw new IllegalArgumentException("unknown peer member kind " + args[0]);
        };
        try (member) {
            waitForEndOfInput();
        }
        Runtime.getRuntime().halt(0);
    }

    private static AutoCloseable jgroups(String name, int port, List<Integer> ports, boolean tuned) throws Exception {
        JChannel channel = JGroupsPeers.channel(name, port, ports, tuned);
        channel.connect(JGroupsPeers.CLUSTER);
        System.out.println(READY + " " + channel.getAddress());
        return channel;
    }

    private static AutoCloseable curator(String connect, String sessionTimeout, String znode) throws Exception {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder().connectString(connect)
                .retryPolicy(new ExponentialBackoffRetry(100, 3));
        if (!"default".equals(sessionTimeout)) {
            int ms = Integer.parseInt(sessionTimeout);
            builder.sessionTimeoutMs(ms).connectionTimeoutMs(ms); // Curator caps the connection timeout at it anyway
        }
        CuratorFramework client = builder.build();
        client.start();
        client.blockUntilConnected();
        client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(znode);
        System.out.println(READY + " " + client.getZookeeperClient().getZooKeeper().getSessionTimeout());
        return client;
    }

    private static void waitForEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // nothing is ever sent: only the end matters
            }
        } catch (IOException e) {
            // the benchmark JVM is gone: leave too
        }
    }
}
