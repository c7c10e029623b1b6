package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Before;
import org.junit.Test;

/** The ha: shell commands against a real server: answers and one-line errors, never a stack trace. */
public class HaCommandsTest extends RealServerTest {

    private HaCommands commands;

    @Before
    public void setUp() {
        commands = new HaCommands(ha);
    }

    private static void assertOneLine(String output) {
        assertEquals("one line: " + output, 1, output.lines().count());
        assertFalse("no stack trace: " + output, output.contains("\tat "));
    }

    @Test
    public void connectSendListAndControlANamedConnection() {
        String connected = commands.connect("plc1", server.endpoint());
        assertTrue(connected, connected.startsWith("connection 1 (plc1) to " + server.endpoint()));
        assertEquals("echo:hello", commands.send("plc1", "hello"));
        assertEquals("echo:by-id", commands.send("1", "by-id"));

        String list = commands.list();
        assertTrue(list, list.lines().anyMatch(l -> l.contains("plc1") && l.contains("tcp") && l.contains("OPEN")));

        assertEquals("connection 1: ICOUNT 3", commands.ctrl("plc1", "icount", "3"));
        assertEquals(3, ha.info(1).orElseThrow().icountLimit());
        assertEquals("connection 1: SUSPEND", commands.ctrl("plc1", "suspend"));
        assertTrue(commands.list().contains("SUSPENDED"));
        assertEquals("connection 1 is no longer HA-aware", commands.detach("plc1"));
        assertEquals("connection 1 closed", commands.close("plc1"));
    }

    @Test
    public void badInputGetsOneClearLine() {
        String[] outputs = {
            commands.send("nosuch", "x"),
            commands.send("42", "x"),
            commands.connect("plc", "no-port"),
            commands.connect("plc", "127.0.0.1:1"),
            commands.ctrl("nosuch", "suspend"),
            commands.detach("99"),
            commands.close("99"),
        };
        for (String output : outputs) {
            assertOneLine(output);
            assertTrue(output, output.startsWith("ha:"));
        }
        commands.connect("plc", server.endpoint());
        assertOneLine(commands.ctrl("plc", "bogus"));
        assertTrue(commands.ctrl("plc", "bogus").contains("unknown command 'bogus'"));
        assertTrue(commands.ctrl("plc", "icount", "many").contains("not a number"));
        assertEquals("no whiteboard recovery function is registered", commands.functions());
    }

    @Test
    public void aBrokenConnectionIsReportedInOneLineWhenNothingRecoversIt() throws Exception {
        commands.connect("plc", server.endpoint());
        server.stop();
        String output = commands.send("plc", "x");
        assertOneLine(output);
        assertTrue(output, output.startsWith("ha:send: plc: "));
    }

    @Test
    public void aNameInUseIsRefusedSoThatCommandsByNameStayUnambiguous() {
        assertTrue(commands.connect("plc1", server.endpoint()).startsWith("connection 1 (plc1)"));
        String again = commands.connect("plc1", server.endpoint());
        assertOneLine(again);
        assertEquals("ha:connect: the name 'plc1' is in use by connection 1; choose another name, or ha:close 1 first",
                again);
        assertEquals("nothing was opened", 1, ha.connections().size());
    }

    @Test
    public void aConnectionTheRuntimeOwnsCannotBeClosedDetachedOrControlledFromTheShell() throws Exception {
        int coid = ha.register("mqtt-default", TestSupport.tcpType(),
                TcpType.connect(server.address(), java.time.Duration.ofSeconds(2)), server.endpoint(),
                java.util.Map.of(org.edgeha.recovery.api.ConnectionInfo.OWNER, "the MQTT bridge (org.edgeha.mqtt)",
                        org.edgeha.recovery.api.ConnectionInfo.OWNER_COMMANDS, "mqtt:status"));
        ha.attach(coid, null, null, 0);
        for (String refused : new String[] {commands.close("mqtt-default"), commands.detach(Integer.toString(coid)),
                commands.ctrl("mqtt-default", "suspend"), commands.ctrl("mqtt-default", "icount", "1")}) {
            assertOneLine(refused);
            assertTrue(refused, refused.matches("ha:(close|detach|ctrl): connection " + coid
                    + " \\(mqtt-default\\) is owned by the MQTT bridge \\(org.edgeha.mqtt\\); refused: use mqtt:status"));
        }
        var info = ha.info(coid).orElseThrow();
        assertTrue("still open and HA-aware", info.haAware());
        assertFalse("not suspended", info.suspended());
        assertEquals(-1, info.icountLimit());
    }
}
