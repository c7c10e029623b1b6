package org.edgeha.testing.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Loopback port helpers. Every wait polls against a deadline ({@link System#nanoTime()} value). */
final class Ports {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Ports() {
    }

    /** A port the kernel just handed out; another process may still take it before the broker binds. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static boolean isConnectable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when nobody listens on the port. SO_REUSEADDR like the brokers, so TIME_WAIT does not count. */
    static boolean isBindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls until {@code condition} holds; false when the deadline passes first. */
    static boolean await(BooleanSupplier condition, long deadlineNanos) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        return true;
    }
}
