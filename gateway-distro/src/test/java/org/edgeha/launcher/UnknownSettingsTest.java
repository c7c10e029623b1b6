package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.Test;

/** An edgeha.* setting that nothing reads is refused, naming the nearest known one (issue 14, case 1). */
public class UnknownSettingsTest {

    private static Map<String, String> args(String... keyValues) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put(keyValues[i], keyValues[i + 1]);
        }
        return args;
    }

    @Test
    public void knownSettingsAndOtherPropertiesPass() {
        Properties system = new Properties();
        system.setProperty("java.version", "17");
        system.setProperty("felix.fileinstall.poll", "500"); // framework properties pass through
        assertNull(UnknownSettings.problem(args("edgeha.home", "/x", "edgeha.node", "3", "edgeha.domain", "d",
                "edgeha.broker", "tcp://h:1", "edgeha.console", "false", "gosh.args", "--nointeractive"), system));
    }

    @Test
    public void typosNameTheNearestSetting() {
        assertEquals("edgeha.node", UnknownSettings.nearest("edgeha.nodee"));
        assertEquals("edgeha.node", UnknownSettings.nearest("edgeha.nod"));
        assertEquals("edgeha.broker", UnknownSettings.nearest("edgeha.brokers"));
        assertEquals("edgeha.domain", UnknownSettings.nearest("edgeha.domian"));
        assertEquals("edgeha.console", UnknownSettings.nearest("edgeha.consol"));
        assertEquals("edgeha.home", UnknownSettings.nearest("edgeha.hme"));
        assertEquals(1, UnknownSettings.editDistance("edgeha.nodee", "edgeha.node"));
        assertEquals(0, UnknownSettings.editDistance("a", "a"));
        assertEquals(3, UnknownSettings.editDistance("", "abc"));
    }

    @Test
    public void everyUnknownSettingIsNamedInOneLine() {
        Properties system = new Properties();
        system.setProperty("edgeha.brokr", "tcp://h:1");
        String problem = UnknownSettings.problem(args("edgeha.nodee", "3", "edgeha.node", "2"), system);
        assertTrue(problem, problem.startsWith("unknown setting --edgeha.nodee (did you mean edgeha.node?)"));
        assertTrue(problem, problem.contains("also unknown: -Dedgeha.brokr"));
        assertTrue(problem, problem.contains("the settings are edgeha.home, edgeha.node, edgeha.domain, edgeha.broker,"
                + " edgeha.console"));
        assertEquals(1, problem.lines().count());
    }
}
