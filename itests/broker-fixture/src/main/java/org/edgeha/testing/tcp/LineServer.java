package org.edgeha.testing.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on loopback that answers each line with "echo:" + line. It can be stopped (its
 * listening socket and every connection closed, as a crashed server's would be) and started again on
 * the same port.
 */
public final class LineServer implements AutoCloseable {

    private final int port;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    public final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile Thread acceptor;

    private LineServer(int port) {
        this.port = port;
    }

    public static LineServer start() throws IOException {
        ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = probe.getLocalPort();
        probe.close();
        LineServer server = new LineServer(port);
        server.restart();
        return server;
    }

    public int openClients() {
        return clients.size();
    }

    /** Waits until the server holds this many open client connections; false at the deadline. */
    public boolean awaitOpenClients(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (clients.size() != count) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5); // the server's threads notice a closed socket on their own time
        }
        return true;
    }

    public boolean awaitAccepted(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (accepted.get() < count) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return accepted.get() == count;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    public synchronized void restart() throws IOException {
        ServerSocket socket = bindWithin(2000);
        server = socket;
        Thread thread = new Thread(() -> acceptLoop(socket), "line-server-" + port);
        thread.setDaemon(true);
        acceptor = thread;
        thread.start();
    }

    /**
     * Binds the port again. A socket closed while its acceptor thread is blocked in accept() is released
     * only once that thread wakes up, so the first bind right after stop() may still find it taken.
     */
    private ServerSocket bindWithin(long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return socket;
            } catch (java.net.BindException e) {
                socket.close();
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                if (socket.isClosed()) {
                    client.close(); // accepted while stopping: a stopped server serves nobody
                    return;
                }
                accepted.incrementAndGet();
                client.setTcpNoDelay(true); // replies go out at once: request/response timing is measured
                clients.add(client);
                Thread t = new Thread(() -> serve(client), "line-server-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = client.getOutputStream()) {
            for (String line; (line = in.readLine()) != null;) {
                out.write(("echo:" + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException closed) {
            // the server was stopped
        } finally {
            clients.remove(client);
        }
    }

    /** Closes the listening socket and every connection: clients see EOF or a reset. */
    public synchronized void stop() throws IOException {
        ServerSocket socket = server;
        if (socket != null) {
            socket.close();
        }
        Thread thread = acceptor;
        if (thread != null) {
            try {
                thread.join(2000); // no connection may slip in after the clients are closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket client : clients) {
            client.close();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
