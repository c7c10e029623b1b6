package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.gateway.api.InfoContributor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** edgeha:info shows what the gateway uses, not only what it was started with (issue 14, case 8). */
public class GatewayCommandsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayCommands commands(List<InfoContributor> contributors) throws Exception {
        Map<String, String> raw = Map.of(GatewaySettings.HOME, tmp.getRoot().toString(), GatewaySettings.NODE, "9",
                GatewaySettings.BROKER, "tcp://127.0.0.1:1883");
        GatewaySettings settings = GatewaySettings.from(raw::get);
        Gateway gateway = new Gateway() {
            @Override
            public GatewaySettings settings() {
                return settings;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public long startupMillis() {
                return 812;
            }
        };
        GatewayCommands commands = new GatewayCommands(gateway);
        var field = GatewayCommands.class.getDeclaredField("contributors"); // what DS sets
        field.setAccessible(true);
        field.set(commands, contributors);
        return commands;
    }

    @Test
    public void withoutTheMqttBridgeTheBrokerLineSaysItIsOnlyTheSetting() throws Exception {
        String info = commands(List.of()).info();
        assertTrue(info, info.contains("node      9"));
        assertTrue(info, info.contains("broker    tcp://127.0.0.1:1883 (the edgeha.broker setting; no MQTT bridge is running)"));
        assertTrue(info, info.contains("ready     yes, in 812 ms"));
    }

    @Test
    public void theBrokerInUseReplacesTheSettingAndOtherLinesFollowInOrder() throws Exception {
        InfoContributor mqtt = () -> {
            Map<String, String> lines = new LinkedHashMap<>();
            lines.put(InfoContributor.BROKER, "tcp://10.0.0.5:1883, tcp://10.0.0.6:1883 (connected to tcp://10.0.0.5:1883)");
            lines.put("mqtt", "CONNECTED");
            lines.put("incarnation", "42");
            return lines;
        };
        InfoContributor broken = () -> {
            throw new IllegalStateException("not started");
        };
        List<String> lines = commands(List.of(mqtt, broken)).info().lines().toList();
        assertEquals(List.of("node      9", "domain    default",
                "broker    tcp://10.0.0.5:1883, tcp://10.0.0.6:1883 (connected to tcp://10.0.0.5:1883)",
                "mqtt      CONNECTED", "incarnation 42"), lines.subList(0, 5));
        assertTrue("a failing contributor is one line, not a trace: " + lines,
                lines.stream().anyMatch(l -> l.startsWith("error") && l.contains("not started")));
        assertFalse(String.join("\n", lines).contains("edgeha.broker setting"));
    }
}
