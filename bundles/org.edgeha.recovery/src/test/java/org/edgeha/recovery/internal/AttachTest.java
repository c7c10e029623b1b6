package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaError;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** SPEC 1.1 and the reference's behaviours 1-4: attach errors change nothing. */
public class AttachTest extends RealServerTest {

    @Override
    protected Object[] configuration() {
        return new Object[] {"max_ha_connections", 2};
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private int plainTcp(String name) throws Exception {
        return ha.register(name, TestSupport.tcpType(), TcpType.connect(server.address(), Duration.ofSeconds(2)), server.endpoint(), java.util.Map.of());
    }

    @Test
    public void attachToAnUnknownOrClosedConnectionIsEbadfAndRegistersNothing() throws Exception {
        List<ConnectionInfo> before = ha.connections();
        HaException unknown = assertThrows(HaException.class, () -> ha.attach(999, (c, h) -> c, null, 0));
        assertEquals(HaError.EBADF, unknown.code());
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("999"));
        assertEquals(before, ha.connections());

        int coid = plainTcp("plc");
        ha.close(coid);
        assertEquals(HaError.EBADF, assertThrows(HaException.class, () -> ha.attach(coid, (c, h) -> c, null, 0)).code());
        assertTrue(ha.info(coid).isEmpty());
    }

    @Test
    public void attachingTwiceIsEexistAndKeepsTheFirstFunctionAndHandle() throws Exception {
        int coid = plainTcp("plc");
        RecoveryFunction first = (c, h) -> c;
        ha.attach(coid, first, "first-handle", 0);
        HaException e = assertThrows(HaException.class, () -> ha.attach(coid, (c, h) -> -1, "second", 0));
        assertEquals(HaError.EEXIST, e.code());
        assertTrue(ha.info(coid).orElseThrow().recoveryFunction().contains(first.getClass().getName()));

        // The first function (and its handle) is still what recovery uses.
        Object[] seen = new Object[1];
        ha.attach(coid, (c, h) -> {
            seen[0] = h;
            return RecoveryFunction.FAILED;
        }, "replaced", HaConnections.REPLACE_RECOVERY_FN);
        server.stop();
        // EOF or a reset, depending on how the dead server's socket closed: either means "broken".
        assertThrows(IOException.class, () -> ha.invoke(coid, SocketChannel.class, ch -> {
            LineIo.writeLine(ch, "x");
            return LineIo.readLine(ch, 100);
        }));
        assertEquals("replace is what changes the handle", "replaced", seen[0]);
    }

    @Test
    public void replaceOnAConnectionWithoutFunctionIsEbadfAndItStaysPlain() throws Exception {
        int coid = plainTcp("plc");
        HaException e = assertThrows(HaException.class,
                () -> ha.attach(coid, (c, h) -> c, null, HaConnections.REPLACE_RECOVERY_FN));
        assertEquals(HaError.EBADF, e.code());
        assertFalse(ha.info(coid).orElseThrow().haAware());
    }

    @Test
    public void theHaAwareLimitIsEnomemWithNoPartialRecord() throws Exception {
        int a = plainTcp("a");
        int b = plainTcp("b");
        int c = plainTcp("c");
        assertTrue(server.awaitOpenClients(3, 5000)); // the server has accepted all three
        ha.attach(a, (x, h) -> x, null, 0);
        ha.attach(b, (x, h) -> x, null, 0);
        HaException e = assertThrows(HaException.class, () -> ha.attach(c, (x, h) -> x, null, 0));
        assertEquals(HaError.ENOMEM, e.code());
        assertFalse(ha.info(c).orElseThrow().haAware());
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class, () -> ha.dup(a)).code());
        assertEquals(3, ha.connections().size());

        // An opener that cannot attach closes what it opened: the server sees the socket close.
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class,
                () -> ha.connectAttach("d", server.address(), Duration.ofSeconds(2), null, null, 0)).code());
        assertEquals(3, ha.connections().size());
        assertTrue("the fourth connection was made", server.awaitAccepted(4, 5000));
        assertTrue("and closed again", server.awaitOpenClients(3, 5000));
        Path file = tmp.newFile("f").toPath();
        assertEquals(HaError.ENOMEM, assertThrows(HaException.class,
                () -> ha.open(file, java.util.Set.of(java.nio.file.StandardOpenOption.READ), null, null, 0)).code());
        assertEquals(3, ha.connections().size());

        // Freeing a slot makes room again.
        ha.detach(a);
        ha.attach(c, (x, h) -> x, null, 0);
        assertTrue(ha.info(c).orElseThrow().haAware());
    }

    @Test
    public void unknownFlagsAndCommandsAreEinval() throws Exception {
        int coid = plainTcp("plc");
        assertEquals(HaError.EINVAL, assertThrows(HaException.class, () -> ha.attach(coid, (c, h) -> c, null, 0x10)).code());
        assertFalse(ha.info(coid).orElseThrow().haAware());
        ha.attach(coid, (c, h) -> c, null, 0);
        assertEquals(HaError.EINVAL, assertThrows(HaException.class, () -> ha.control(coid, 99, 0)).code());
        assertEquals(HaError.EINVAL, assertThrows(HaException.class,
                () -> ha.fopen(tmp.getRoot().toPath().resolve("x"), "rw?", null, null, 0)).code());
        assertEquals(HaError.EINVAL, assertThrows(HaException.class,
                () -> ha.invoke(coid, java.nio.channels.FileChannel.class, ch -> ch.size())).code());
    }

    @Test
    public void controlOnAPlainConnectionIsEbadf() throws Exception {
        int coid = plainTcp("plc");
        assertEquals(HaError.EBADF, assertThrows(HaException.class,
                () -> ha.control(coid, org.edgeha.recovery.api.ControlCommand.SUSPEND, 0)).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class,
                () -> ha.control(4711, org.edgeha.recovery.api.ControlCommand.SUSPEND, 0)).code());
    }

    @Test
    public void closedConnectionsSeeTheirSocketClosed() throws Exception {
        int coid = ha.connectAttach("plc", server.address(), Duration.ofSeconds(2), null, null, 0);
        ha.close(coid);
        assertEquals(HaError.EBADF, assertThrows(HaException.class, () -> ha.close(coid)).code());
        assertEquals(HaError.EBADF, assertThrows(HaException.class,
                () -> ha.invoke(coid, SocketChannel.class, ch -> ch.isOpen())).code());
        try (Socket probe = new Socket(server.address().getAddress(), server.port()); InputStream in = probe.getInputStream()) {
            assertTrue(probe.isConnected()); // the server is fine; only our connection is gone
        }
    }
}
