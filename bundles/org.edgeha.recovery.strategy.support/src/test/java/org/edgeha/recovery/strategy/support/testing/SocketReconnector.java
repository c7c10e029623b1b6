package org.edgeha.recovery.strategy.support.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.recovery.strategy.support.Reconnector;

/**
 * What {@code HaConnections.reconnect} does for a TCP connection, with real sockets: connect a new
 * blocking {@link SocketChannel} within the timeout (interruptible), then close the stale one.
 */
public final class SocketReconnector implements Reconnector, AutoCloseable {

    private final Map<Integer, InetSocketAddress> endpoints = new ConcurrentHashMap<>();
    private final Map<Integer, SocketChannel> channels = new ConcurrentHashMap<>();
    /** Every connect attempt made, successful or not. */
    public final AtomicInteger attempts = new AtomicInteger();

    /** Sets the connection's current endpoint, where a reconnect without an endpoint goes. */
    public SocketReconnector connection(final int coid, final InetSocketAddress endpoint) {
        endpoints.put(coid, endpoint);
        return this;
    }

    /** @return where the connection is connected now, as {@code 127.0.0.1:port}, or null */
    public String connectedTo(final int coid) {
        SocketChannel channel = channels.get(coid);
        if (channel == null || !channel.isConnected()) {
            return null;
        }
        InetSocketAddress remote = (InetSocketAddress) channel.socket().getRemoteSocketAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    public boolean connected(final int coid) {
        SocketChannel channel = channels.get(coid);
        return channel != null && channel.isConnected();
    }

    @Override
    public int reconnect(final int coid, final String endpoint, final Duration timeout) throws IOException {
        attempts.incrementAndGet();
        InetSocketAddress address = endpoint == null ? endpoints.get(coid) : parse(endpoint);
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, (int) Math.max(1, timeout.toMillis()));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        endpoints.put(coid, address);
        SocketChannel stale = channels.put(coid, channel);
        if (stale != null) {
            stale.close();
        }
        return coid;
    }

    private static InetSocketAddress parse(final String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : channels.values()) {
            c.close();
        }
    }
}
