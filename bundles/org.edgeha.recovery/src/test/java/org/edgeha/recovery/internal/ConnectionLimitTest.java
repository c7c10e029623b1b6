package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The limit on connections in the table ({@code max_connections}; the HA-aware limit is in {@link AttachTest}): one
 * more is {@code ENOMEM}, whether registered or opened, and the table is unchanged afterwards.
 */
public class ConnectionLimitTest extends RealServerTest {

    @Override
    protected Object[] configuration() {
        return new Object[] {"max_connections", 2};
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private int plainTcp(String name) throws Exception {
        return ha.register(name, TestSupport.tcpType(), TcpType.connect(server.address(), Duration.ofSeconds(2)),
                server.endpoint(), Map.of());
    }

    @Test
    public void oneConnectionMoreThanTheLimitIsEnomemAndTheTableIsUnchanged() throws Exception {
        int a = plainTcp("a");
        ha.attach(a, (coid, handle) -> coid, null, 0);
        plainTcp("b");
        List<ConnectionInfo> before = ha.connections();
        assertEquals(2, before.size());

        HaException e = assertThrows(HaException.class, () -> plainTcp("c"));
        assertEquals(HaError.ENOMEM, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("the limit of 2 connections is reached"));
        assertEquals(before, ha.connections());

        Path file = tmp.newFile("f").toPath();
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class,
                () -> ha.open(file, Set.of(StandardOpenOption.READ), null, null, 0)).code());
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class,
                () -> ha.connectAttach("d", server.address(), Duration.ofSeconds(2), null, null, 0)).code());
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class, () -> ha.dup(a)).code());
        assertEquals(before, ha.connections());

        // Closing one makes room again.
        ha.close(a);
        plainTcp("c");
        assertEquals(2, ha.connections().size());
    }
}
