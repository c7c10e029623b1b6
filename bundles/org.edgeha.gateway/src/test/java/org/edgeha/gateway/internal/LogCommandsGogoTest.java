package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The log: commands as Gogo 1.1.6 dispatches them: every command and parameter described with an example; a wrong
 * or missing argument (a level that is none, a count that is no number) reaches the usage, never Gogo's "Cannot
 * coerce" exception. What they do is tested on a gateway (LoggingFeatureIT).
 */
public class LogCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("log", () -> new LogCommands(null, null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(LogCommands.SET_USAGE, shell.run("log:set"));
        assertEquals(LogCommands.SET_USAGE, shell.run("log:set LOUD"));
        assertEquals(LogCommands.SET_USAGE, shell.run("log:set LOUD org.eclipse.jetty"));
        assertEquals(LogCommands.SET_USAGE, shell.run("log:set DEBUG a b"));
        assertEquals(LogCommands.GET_USAGE, shell.run("log:get a b"));
        assertEquals(LogCommands.TAIL_USAGE, shell.run("log:tail many"));
        assertEquals(LogCommands.TAIL_USAGE, shell.run("log:tail 0"));
        assertEquals(LogCommands.TAIL_USAGE, shell.run("log:tail 5 6"));
    }
}
