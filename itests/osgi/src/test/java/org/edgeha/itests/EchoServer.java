package org.edgeha.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP server answering "echo:" + line; stop() kills every connection, start() rebinds the port. */
final class EchoServer implements AutoCloseable {

    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile Thread acceptor;

    EchoServer() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    synchronized void start() throws IOException {
        long deadline = System.currentTimeMillis() + 2000;
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(address(), 50);
                listener = socket;
                break;
            } catch (BindException e) {
                socket.close(); // the old listener is released when its acceptor wakes up
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
        ServerSocket socket = listener;
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    Thread serving = new Thread(() -> serve(client), "echo-client");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "echo-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                client.getOutputStream().write(("echo:" + line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // stopped
        } finally {
            open.remove(client);
        }
    }

    synchronized void stop() throws IOException, InterruptedException {
        listener.close();
        acceptor.join(2000);
        for (Socket client : open) {
            client.close();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
