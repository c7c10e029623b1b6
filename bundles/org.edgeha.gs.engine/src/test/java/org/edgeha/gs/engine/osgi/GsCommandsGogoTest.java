package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The gs: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class GsCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("gs", () -> new GsCommands(null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(GsCommands.GROUPS_USAGE, shell.run("gs:groups all"));
        assertEquals(GsCommands.VIEW_USAGE, shell.run("gs:view"));
        assertEquals(GsCommands.JOIN_USAGE, shell.run("gs:join"));
        assertEquals(GsCommands.JOIN_USAGE, shell.run("gs:join a b c"));
        assertEquals(GsCommands.STATE_USAGE, shell.run("gs:state"));
        assertEquals(GsCommands.STATE_USAGE, shell.run("gs:state line1"));
        assertEquals(GsCommands.STATE_USAGE, shell.run("gs:state line1 filling --phases two"));
        assertEquals(GsCommands.STATE_USAGE, shell.run("gs:state line1 filling --phases 0"));
        assertEquals(GsCommands.STATE_USAGE, shell.run("gs:state line1 filling extra"));
        assertEquals(GsCommands.SEND_USAGE, shell.run("gs:send"));
        assertEquals(GsCommands.SEND_USAGE, shell.run("gs:send line1"));
        assertEquals(GsCommands.LEAVE_USAGE, shell.run("gs:leave"));
        assertEquals(GsCommands.SUBSCRIBE_USAGE, shell.run("gs:subscribe"));
        assertEquals(GsCommands.UNSUBSCRIBE_USAGE, shell.run("gs:unsubscribe"));
        assertEquals(GsCommands.GOODBYE_USAGE, shell.run("gs:goodbye"));
        assertEquals(GsCommands.EXPEL_USAGE, shell.run("gs:expel line1"));
        assertEquals(GsCommands.EXPEL_USAGE, shell.run("gs:expel"));
        assertEquals(GsCommands.ATTRIBUTES_USAGE, shell.run("gs:attributes line1"));
        assertEquals(GsCommands.ATTRIBUTES_USAGE, shell.run("gs:attributes line1 a=1 b=2"));
    }

    /** The option may come before or after the positional arguments, and is optional (no provider: no GroupServices needed). */
    @Test
    public void thePhasesOptionIsParsedByGogo() throws Exception {
        for (String line : List.of("gs:state line1 filling", "gs:state line1 filling --phases 2",
                "gs:state --phases 2 line1 filling")) {
            assertEquals(line, "the shell has no provider in line1 (gs:join line1)", shell.run(line));
        }
    }
}
