package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/** The config: commands as Gogo 1.1.6 dispatches them: described, and a wrong form answers with the usage. */
public class ConfigCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("config", () -> new ConfigCommands(null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(ConfigCommands.LIST_USAGE, shell.run("config:list a b"));
        assertEquals(ConfigCommands.GET_USAGE, shell.run("config:get"));
        assertEquals(ConfigCommands.GET_USAGE, shell.run("config:get a b"));
        assertEquals(ConfigCommands.SET_USAGE, shell.run("config:set"));
        assertEquals(ConfigCommands.SET_USAGE, shell.run("config:set org.edgeha.mqtt keepalive.s"));
        assertEquals(ConfigCommands.SET_USAGE, shell.run("config:set a b c d"));
        assertEquals(ConfigCommands.DELETE_USAGE, shell.run("config:delete"));
        assertEquals(ConfigCommands.DELETE_USAGE, shell.run("config:delete a b c"));
    }
}
