package org.edgeha.recovery.standalone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.testing.tcp.LineServer;
import org.junit.Test;

/** The exported way to run the recovery service without OSGi, as other modules' tests and the benchmarks use it. */
public class StandaloneHaConnectionsTest {

    @Test
    public void aStartedServiceRecoversAConnectionAndStopClosesIt() throws Exception {
        HaConnections ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
        try (LineServer server = LineServer.start()) {
            int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2),
                    (c, handle) -> ha.reconnect(c, null, Duration.ofSeconds(2)), null, 0);
            assertEquals("echo:ping\n", ha.invoke(coid, SocketChannel.class, StandaloneHaConnectionsTest::ping));

            server.stop(); // closes the connection
            server.restart();
            assertEquals("the retry after recovery", "echo:ping\n",
                    ha.invoke(coid, SocketChannel.class, StandaloneHaConnectionsTest::ping));
            assertTrue(ha.info(coid).isPresent());

            StandaloneHaConnections.stop(ha);
            assertTrue("stop closed the connection", server.awaitOpenClients(0, 5000));
            assertFalse(ha.info(coid).isPresent());
        }
    }

    @Test
    public void stopRefusesAServiceItDidNotStart() {
        HaConnections other = (HaConnections) Proxy.newProxyInstance(HaConnections.class.getClassLoader(),
                new Class<?>[] {HaConnections.class}, (proxy, method, args) -> null);
        assertThrows(IllegalArgumentException.class, () -> StandaloneHaConnections.stop(other));
    }

    private static String ping(SocketChannel channel) throws IOException {
        channel.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer reply = ByteBuffer.allocate(64);
        while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
            if (channel.read(reply) < 0) {
                throw new EOFException("closed before the reply");
            }
        }
        return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
    }
}
