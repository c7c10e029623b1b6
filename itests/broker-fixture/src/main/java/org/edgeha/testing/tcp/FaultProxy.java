package org.edgeha.testing.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port that forwards every connection it accepts to one target, and breaks the
 * network in controlled ways: hold bytes ({@link #pause}), pull the cable ({@link #blackhole()}), reset every
 * connection ({@link #resetAll()}) or close new ones at once ({@link #refuseNew}).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.port())) {
 *     client.connect(proxy.uri());     // tcp://127.0.0.1:PROXY_PORT
 *     proxy.blackhole();               // no FIN, no RST: only keepalive notices
 *     proxy.restore();                 // the blackholed connections are reset, new ones work
 * }
 * }</pre>
 *
 * Each connection gets four daemon threads named {@code fault-proxy-PORT-N-...}: a reader and a writer per
 * direction, with up to {@link #HOLD_LIMIT} bytes held between them. When that is full the reader stops reading,
 * so a sender sees TCP backpressure and nothing is dropped. An end of stream (FIN) is passed on after the bytes
 * before it; a reset or any I/O error on one side resets both sides.
 *
 * <p>Thread-safe: every method may be called from any thread. Faults apply to current and new connections from
 * the moment the method returns; a chunk the proxy had already begun writing still arrives.
 */
public final class FaultProxy implements AutoCloseable {

    /** A direction of traffic through the proxy. */
    public enum Direction {
        /** Client to target. */
        UPSTREAM,
        /** Target to client. */
        DOWNSTREAM,
        /** Both directions. */
        BOTH;

        private Set<Direction> single() {
            return this == BOTH ? EnumSet.of(UPSTREAM, DOWNSTREAM) : EnumSet.of(this);
        }
    }

    /** Most bytes held per direction per connection (while paused, or while the receiver is slow). */
    public static final int HOLD_LIMIT = 16 << 20;

    private static final int CHUNK = 64 << 10;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicLong downstreamBytes = new AtomicLong();
    // Guards every field below and every Connection's and Pipe's state; pipes wait on it.
    private final Object lock = new Object();
    private final Set<Connection> connections = new HashSet<>();
    private final Set<Direction> paused = EnumSet.noneOf(Direction.class);
    private boolean blackholed;
    private boolean refusing;
    private boolean closed;
    private int accepted;

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
    }

    /** Listens on a free 127.0.0.1 port; each accepted connection opens its own connection to the target. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultProxy proxy = new FaultProxy(new InetSocketAddress(targetHost, targetPort), server);
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
        }
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT}, for MQTT clients. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Holds bytes in direction {@code d} (not lost: see {@link #resume}); the sockets stay open. */
    public void pause(Direction d) {
        synchronized (lock) {
            paused.addAll(d.single());
        }
    }

    /** Delivers the held bytes of direction {@code d}, in order, and forwards again. */
    public void resume(Direction d) {
        synchronized (lock) {
            paused.removeAll(d.single());
            lock.notifyAll();
        }
    }

    /**
     * Pulls the cable: every connection stops forwarding both ways and its held bytes are discarded; the proxy
     * stops reading from it and sends no FIN or RST, so the peers notice only through keepalive or timeouts.
     * New connections are accepted but never reach the target. Ends with {@link #restore()}.
     */
    public void blackhole() {
        synchronized (lock) {
            blackholed = true;
            for (Connection c : connections) {
                c.blackhole();
            }
            lock.notifyAll();
        }
    }

    /** Ends {@link #blackhole()}: new connections work again; the blackholed ones are reset (RST) on both sides. */
    public void restore() {
        synchronized (lock) {
            blackholed = false;
            for (Connection c : List.copyOf(connections)) {
                if (c.blackholed) {
                    c.abort();
                }
            }
        }
    }

    /** Resets (RST, SO_LINGER 0) every current connection on both sides; new connections work as before. */
    public void resetAll() {
        synchronized (lock) {
            for (Connection c : List.copyOf(connections)) {
                c.abort();
            }
        }
    }

    /**
     * While true, each new connection is reset (RST) right after it is accepted; current ones are untouched. A
     * connection the kernel completed but the proxy has not yet accepted counts as new: to be sure a client is
     * current, exchange bytes with it first.
     */
    public void refuseNew(boolean refuse) {
        synchronized (lock) {
            refusing = refuse;
        }
    }

    /** Connections accepted so far, including refused and blackholed ones. */
    public int connectionsAccepted() {
        synchronized (lock) {
            return accepted;
        }
    }

    /** Bytes written to the receiving side in direction {@code d} ({@code BOTH}: the sum) so far. */
    public long bytesForwarded(Direction d) {
        return switch (d) {
            case UPSTREAM -> upstreamBytes.get();
            case DOWNSTREAM -> downstreamBytes.get();
            case BOTH -> upstreamBytes.get() + downstreamBytes.get();
        };
    }

    /** Stops listening and resets every connection; returns once no new connection can slip in. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(server, false);
            resetAll();
        }
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + uri() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    private void acceptLoop() {
        int count = 0;
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Connection c = new Connection("fault-proxy-" + port() + "-" + ++count, client);
            synchronized (lock) {
                accepted++;
                if (closed || refusing) {
                    closeQuietly(client, true);
                    continue;
                }
                connections.add(c);
                if (blackholed) {
                    c.blackholed = true; // a pulled cable: the target never hears of it
                    continue;
                }
            }
            startThread(c.name + "-connect", () -> connect(c));
        }
    }

    /** Opens the connection to the target, then starts the pipes; runs on its own thread. */
    private void connect(Connection c) {
        Socket upstream = new Socket();
        try {
            upstream.setTcpNoDelay(true);
            c.client.setTcpNoDelay(true); // forward small writes at once, as the endpoints meant them
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(upstream, true);
            synchronized (lock) {
                c.abort(); // the target refused: the client sees a reset
            }
            return;
        }
        synchronized (lock) {
            if (!c.isOpen() || c.blackholed) { // reset, closed or blackholed while connecting
                closeQuietly(upstream, true);
                return;
            }
            c.start(upstream);
        }
    }

    private static void startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable closeable, boolean reset) {
        try {
            if (reset && closeable instanceof Socket) {
                ((Socket) closeable).setSoLinger(true, 0); // close() then sends RST instead of FIN
            }
        } catch (IOException alreadyBroken) {
            // close anyway
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing left to do
        }
    }

    /** One client connection and, once connected, its connection to the target. State guarded by {@code lock}. */
    private final class Connection {
        final String name;
        final Socket client;
        final List<Pipe> pipes = new ArrayList<>();
        Socket targetSide; // null until connected
        boolean blackholed;
        int finished; // pipes that passed on their end of stream

        Connection(String name, Socket client) {
            this.name = name;
            this.client = client;
        }

        void start(Socket targetSocket) {
            targetSide = targetSocket;
            pipes.add(new Pipe(this, Direction.UPSTREAM, client, targetSocket, upstreamBytes));
            pipes.add(new Pipe(this, Direction.DOWNSTREAM, targetSocket, client, downstreamBytes));
            for (Pipe p : pipes) {
                String prefix = name + "-" + p.direction.name().toLowerCase();
                startThread(prefix + "-read", p::readLoop);
                startThread(prefix + "-write", p::writeLoop);
            }
        }

        void blackhole() {
            blackholed = true;
            for (Pipe p : pipes) {
                p.held.clear(); // a pulled cable loses what was in flight
                p.heldBytes = 0;
            }
        }

        boolean isOpen() {
            return connections.contains(this);
        }

        /** Resets both sides; pipes blocked in I/O fail and end, pipes waiting on the lock see it closed. */
        void abort() {
            if (connections.remove(this)) {
                closeQuietly(client, true);
                if (targetSide != null) {
                    closeQuietly(targetSide, true);
                }
                lock.notifyAll();
            }
        }

        /** Both directions ended cleanly with FIN: close normally. */
        void pipeFinished() {
            if (++finished == 2 && connections.remove(this)) {
                closeQuietly(client, false);
                closeQuietly(targetSide, false);
            }
        }

        /** A reset or I/O error on one side resets the other, unless the cable is pulled. */
        void failed() {
            if (!blackholed) {
                abort();
            }
        }
    }

    /** One direction of a connection: a reader fills {@code held}, a writer drains it. State guarded by lock. */
    private final class Pipe {
        final Connection connection;
        final Direction direction;
        final Socket from;
        final Socket to;
        final AtomicLong counter;
        final ArrayDeque<byte[]> held = new ArrayDeque<>();
        int heldBytes;
        boolean endOfStream;

        Pipe(Connection connection, Direction direction, Socket from, Socket to, AtomicLong counter) {
            this.connection = connection;
            this.direction = direction;
            this.from = from;
            this.to = to;
            this.counter = counter;
        }

        void readLoop() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int room;
                    synchronized (lock) {
                        // Full (backpressure) or blackholed (a pulled cable takes no more bytes): stop reading.
                        while (connection.isOpen() && (heldBytes >= HOLD_LIMIT || connection.blackholed)) {
                            lock.wait();
                        }
                        if (!connection.isOpen()) {
                            return;
                        }
                        room = Math.min(CHUNK, HOLD_LIMIT - heldBytes);
                    }
                    int n = in.read(buffer, 0, room);
                    synchronized (lock) {
                        if (n < 0) {
                            endOfStream = true;
                            lock.notifyAll();
                            return;
                        }
                        if (!connection.blackholed) {
                            held.add(Arrays.copyOf(buffer, n));
                            heldBytes += n;
                            lock.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (lock) {
                    connection.failed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    byte[] chunk;
                    synchronized (lock) {
                        while (connection.isOpen() && !canWrite()) {
                            lock.wait();
                        }
                        if (!connection.isOpen()) {
                            return;
                        }
                        chunk = held.poll();
                        if (chunk == null) { // end of stream, everything before it delivered
                            to.shutdownOutput();
                            connection.pipeFinished();
                            return;
                        }
                        heldBytes -= chunk.length;
                        lock.notifyAll(); // room for the reader
                    }
                    out.write(chunk);
                    counter.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                synchronized (lock) {
                    connection.failed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private boolean canWrite() {
            return !connection.blackholed && !paused.contains(direction) && (!held.isEmpty() || endOfStream);
        }
    }
}
