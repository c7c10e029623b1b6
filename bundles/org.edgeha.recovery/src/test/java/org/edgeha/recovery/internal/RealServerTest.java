package org.edgeha.recovery.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.edgeha.recovery.api.HaException;
import org.edgeha.testing.tcp.LineServer;
import org.junit.After;
import org.junit.Before;

/** Base of the tests that run the recovery service against a real TCP line server. */
public abstract class RealServerTest {

    protected LineServer server;
    protected HaConnectionsImpl ha;

    /** @return configuration overrides (name, value, ...) for the service under test */
    protected Object[] configuration() {
        return new Object[0];
    }

    @Before
    public void startServerAndService() throws IOException {
        server = LineServer.start();
        ha = TestSupport.service(configuration());
    }

    @After
    public void stopServiceAndServer() {
        ha.deactivate();
        TestSupport.closeQuietly(server);
    }

    /** One request/response under recovery; callers sharing the connection take turns on the socket. */
    protected String request(int coid, String text) throws IOException, HaException {
        return ha.invoke(coid, SocketChannel.class, ch -> {
            synchronized (ch) {
                LineIo.writeLine(ch, text);
                return LineIo.readLine(ch, 1000);
            }
        });
    }
}
