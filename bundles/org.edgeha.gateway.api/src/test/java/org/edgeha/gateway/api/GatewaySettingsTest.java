package org.edgeha.gateway.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class GatewaySettingsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewaySettings read(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return GatewaySettings.from(values::get);
    }

    @Test
    public void defaultsApplyWhenNothingIsSet() throws Exception {
        GatewaySettings s = read(GatewaySettings.HOME, tmp.getRoot().getPath());
        assertEquals(1, s.node());
        assertEquals("default", s.domain());
        assertEquals("tcp://127.0.0.1:1883", s.broker().toString());
        assertEquals(tmp.getRoot().toPath().toRealPath(), s.home().toRealPath());
        assertEquals(s.home().resolve("data"), s.data());
        assertTrue(s.interactiveConsole(true));
        assertFalse(s.interactiveConsole(false));
    }

    @Test
    public void explicitValuesAreKept() {
        GatewaySettings s = read(GatewaySettings.HOME, tmp.getRoot().getPath(), GatewaySettings.NODE, " 42 ",
                GatewaySettings.DOMAIN, "plant-7", GatewaySettings.BROKER, "ssl://broker.local:8883",
                GatewaySettings.CONSOLE, "FALSE");
        assertEquals(42, s.node());
        assertEquals("plant-7", s.domain());
        assertEquals(8883, s.broker().getPort());
        assertFalse(s.interactiveConsole(true));
    }

    @Test
    public void nodeMustBeAPositiveInt() {
        for (String bad : new String[] {"0", "-3", "abc", "1.5", "99999999999"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> read(GatewaySettings.HOME, tmp.getRoot().getPath(), GatewaySettings.NODE, bad));
            assertEquals(GatewaySettings.NODE, e.setting());
            assertTrue(e.getMessage(), e.getMessage().contains("'" + bad + "'"));
            assertTrue(e.getMessage(), e.getMessage().contains("positive integer"));
        }
    }

    @Test
    public void homeMustBeAnExistingDirectory() throws Exception {
        Path missing = tmp.getRoot().toPath().resolve("nope");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, missing.toString()));
        assertEquals(GatewaySettings.HOME, e.setting());
        assertTrue(e.getMessage(), e.getMessage().contains("not a directory"));

        File file = tmp.newFile("plain-file");
        assertThrows(InvalidSettingException.class, () -> read(GatewaySettings.HOME, file.getPath()));
    }

    @Test
    public void domainAndBrokerAreChecked() {
        String home = tmp.getRoot().getPath();
        assertEquals(GatewaySettings.DOMAIN, assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, home, GatewaySettings.DOMAIN, "a/b")).setting());
        assertEquals(GatewaySettings.DOMAIN, assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, home, GatewaySettings.DOMAIN, "#")).setting());
        assertEquals(GatewaySettings.BROKER, assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, home, GatewaySettings.BROKER, "http://x:1")).setting());
        assertEquals(GatewaySettings.BROKER, assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, home, GatewaySettings.BROKER, "tcp://nohostport")).setting());
        assertEquals(GatewaySettings.CONSOLE, assertThrows(InvalidSettingException.class,
                () -> read(GatewaySettings.HOME, home, GatewaySettings.CONSOLE, "maybe")).setting());
    }
}
