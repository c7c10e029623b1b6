package org.edgeha.features.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.edgeha.testing.gogo.GogoShell;
import org.junit.Rule;
import org.junit.Test;

/**
 * The feature: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class FeatureCommandsGogoTest {

    @Rule
    public final GogoShell shell = new GogoShell("feature", () -> new FeatureCommands(null));

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        assertEquals(List.of(), shell.descriptionProblems());
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(FeatureCommands.LIST_USAGE, shell.run("feature:list all"));
        assertEquals(FeatureCommands.INFO_USAGE, shell.run("feature:info"));
        assertEquals(FeatureCommands.INSTALL_USAGE, shell.run("feature:install"));
        assertEquals(FeatureCommands.INSTALL_USAGE, shell.run("feature:install a b"));
        assertEquals(FeatureCommands.REMOVE_USAGE, shell.run("feature:remove"));
    }
}
