package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The edgeha: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class GatewayCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("edgeha", () -> new GatewayCommands(null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(GatewayCommands.INFO_USAGE, shell.run("edgeha:info now"));
    }
}
