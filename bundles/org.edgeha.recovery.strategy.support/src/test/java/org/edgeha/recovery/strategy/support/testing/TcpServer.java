package org.edgeha.recovery.strategy.support.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP server on loopback that can be stopped and started again on the same port. It accepts
 * every connection and keeps it open until stopped; {@link #startedAtNanos()} is when it listened again.
 * While stopped, a bound socket that does not listen holds the port: connects are refused, and no other
 * process (other builds run on the same machine) can take the port meanwhile.
 *
 * <p>Not {@code org.edgeha.testing.tcp.LineServer} (itests/broker-fixture): that one frees its port while
 * stopped and records no listen time, while the strategies' tests keep up to 40 servers down at once and
 * measure recovery from the moment a server listens again.
 */
public final class TcpServer implements AutoCloseable {

    private final int port;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;
    private Socket placeholder;
    private volatile long startedAtNanos;

    public TcpServer() throws IOException {
        listen(0);
        this.port = server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    public long startedAtNanos() {
        return startedAtNanos;
    }

    public synchronized TcpServer start() throws IOException {
        if (server == null) {
            placeholder.close();
            placeholder = null;
            listen(port);
        }
        return this;
    }

    /** Stops listening and drops every accepted connection: clients see resets and refused connects. */
    public synchronized TcpServer stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
            try {
                acceptor.join(); // the port is released once the thread has left accept()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping", e);
            }
            placeholder = new Socket();
            placeholder.setReuseAddress(true);
            placeholder.bind(address());
        }
        for (Socket s : accepted) {
            s.close();
        }
        accepted.clear();
        return this;
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        placeholder.close();
    }

    private void listen(final int onPort) throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        startedAtNanos = System.nanoTime();
        server = listening;
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(listening.accept());
                }
            } catch (IOException closed) {
                // stopped
            }
        }, "test-server-" + listening.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }
}
