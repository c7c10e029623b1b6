package org.edgeha.mqtt.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The mqtt: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class MqttCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("mqtt", () -> new MqttCommands());

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(MqttCommands.STATUS_USAGE, shell.run("mqtt:status default"));
        assertEquals(MqttCommands.PUBLISH_USAGE, shell.run("mqtt:publish"));
        assertEquals(MqttCommands.PUBLISH_USAGE, shell.run("mqtt:publish a/b"));
        assertEquals(MqttCommands.PUBLISH_USAGE, shell.run("mqtt:publish a/b two words"));
    }
}
