package org.edgeha.recovery.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Supplier;

import org.edgeha.recovery.api.ConnectionType;

/** HA-aware TCP connections (kind {@code tcp}): blocking {@link SocketChannel}s with TCP_NODELAY. */
final class TcpType implements ConnectionType<SocketChannel> {

    static final String KIND = "tcp";

    private final Supplier<LostClassifier> classifier;

    TcpType(Supplier<LostClassifier> classifier) {
        this.classifier = classifier;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<SocketChannel> resourceType() {
        return SocketChannel.class;
    }

    @Override
    public boolean isConnectionLost(Throwable failure) {
        return classifier.get().isLost(failure);
    }

    @Override
    public void close(SocketChannel resource) throws IOException {
        resource.close();
    }

    @Override
    public SocketChannel connect(String endpoint, Duration timeout) throws IOException {
        return connect(parse(endpoint), timeout);
    }

    static SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            // Request/response traffic: without TCP_NODELAY a small reply waits for delayed ACKs (~40 ms).
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the address of a {@code host:port} endpoint (IPv6 hosts in brackets) */
    static InetSocketAddress parse(String endpoint) {
        int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' must look like host:port");
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' has no valid port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' has no valid port");
        }
        return new InetSocketAddress(host, port);
    }

    static String format(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
