package org.edgeha.recovery.strategy.backoff.standalone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.standalone.StandaloneHaConnections;
import org.edgeha.testing.tcp.LineServer;
import org.junit.Test;

/** The exported backoff strategy attached to a connection of the standalone recovery service, against a real server. */
public class StandaloneBackoffTest {

    @Test
    public void theDefaultStrategyReconnectsOnceTheServerListensAgain() throws Exception {
        HaConnections ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
        try (LineServer server = LineServer.start()) {
            int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2),
                    StandaloneBackoff.defaultStrategy(ha), null, 0);
            assertEquals("echo:ping\n", ha.invoke(coid, SocketChannel.class, StandaloneBackoffTest::ping));

            server.stop(); // closes the connection; back after 200 ms
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    server.restart();
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            restarter.start();
            long t0 = System.nanoTime();
            assertEquals("the retry after the strategy reconnected", "echo:ping\n",
                    ha.invoke(coid, SocketChannel.class, StandaloneBackoffTest::ping));
            restarter.join();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("waited for the server (" + millis + " ms)", millis >= 150);
            assertTrue(server.accepted.get() >= 2);
        } finally {
            StandaloneHaConnections.stop(ha);
        }
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
