package org.edgeha.recovery.strategy.support.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real listening socket that never accepts, with its accept queue filled: the kernel drops further
 * SYNs, so a connect to it blocks as to a host that does not answer.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();
    private final boolean silent;

    public SilentServer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        boolean full = false;
        for (int i = 0; i < 16 && !full; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address(), 200);
                fillers.add(filler);
            } catch (SocketTimeoutException e) {
                filler.close();
                full = true;
            }
        }
        silent = full;
    }

    /** @return whether connects now block (false on a kernel that does not drop SYNs on a full queue) */
    public boolean silent() {
        return silent;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
