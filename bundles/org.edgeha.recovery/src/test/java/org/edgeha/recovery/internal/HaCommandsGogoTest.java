package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The ha: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class HaCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("ha", () -> new HaCommands(null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(HaCommands.LIST_USAGE, shell.run("ha:list all"));
        assertEquals(HaCommands.CONNECT_USAGE, shell.run("ha:connect"));
        assertEquals(HaCommands.CONNECT_USAGE, shell.run("ha:connect plc1"));
        assertEquals(HaCommands.SEND_USAGE, shell.run("ha:send"));
        assertEquals(HaCommands.SEND_USAGE, shell.run("ha:send plc1 two words"));
        assertEquals(HaCommands.DETACH_USAGE, shell.run("ha:detach"));
        assertEquals(HaCommands.CLOSE_USAGE, shell.run("ha:close"));
        assertEquals(HaCommands.CLOSE_USAGE, shell.run("ha:close 1 2"));
        assertEquals(HaCommands.CTRL_USAGE, shell.run("ha:ctrl"));
        assertEquals(HaCommands.CTRL_USAGE, shell.run("ha:ctrl plc1"));
        assertEquals(HaCommands.CTRL_USAGE, shell.run("ha:ctrl plc1 icount 3 4"));
        assertEquals(HaCommands.CTRL_USAGE, shell.run("ha:ctrl plc1 icount"));
        assertEquals(HaCommands.CTRL_USAGE, shell.run("ha:ctrl plc1 ACOUNT"));
        assertEquals(HaCommands.FUNCTIONS_USAGE, shell.run("ha:functions all"));
    }
}
