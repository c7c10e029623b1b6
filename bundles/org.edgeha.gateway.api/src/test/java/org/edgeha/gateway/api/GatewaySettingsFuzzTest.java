package org.edgeha.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The gateway's essential settings (system properties, {@code --key=value} arguments): {@link GatewaySettings#from}
 * returns settings or throws {@link InvalidSettingException} naming the setting, never anything else; settings it
 * returns hold what the rest of the gateway relies on (positive node, a domain usable as one topic level, a
 * tcp/ssl broker with host and port).
 */
class GatewaySettingsFuzzTest {

    private static final Path HOME;

    static {
        try {
            HOME = Files.createTempDirectory("edgeha-home-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void from(FuzzedDataProvider data) {
        Map<String, String> values = new HashMap<>();
        values.put(GatewaySettings.HOME, data.consumeInt(0, 7) == 0 ? data.consumeString(30) : HOME.toString());
        String[] names = {GatewaySettings.NODE, GatewaySettings.DOMAIN, GatewaySettings.BROKER, GatewaySettings.CONSOLE};
        for (String name : names) {
            if (data.consumeBoolean()) {
                values.put(name, data.consumeString(40));
            }
        }
        if (data.consumeBoolean()) {
            values.put(GatewaySettings.BROKER, (data.consumeBoolean() ? "tcp://" : "ssl://") + data.consumeString(30));
        }
        GatewaySettings s;
        try {
            s = GatewaySettings.from(values::get);
        } catch (InvalidSettingException refused) {
            return;
        }
        assertTrue(s.node() > 0);
        assertTrue(s.domain().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), s.domain());
        assertTrue(s.broker().getScheme().equals("tcp") || s.broker().getScheme().equals("ssl"));
        assertTrue(s.broker().getHost() != null && s.broker().getPort() > 0, s.broker().toString());
        assertTrue(Files.isDirectory(s.home()));
        assertEquals(s.home().resolve("etc"), s.etc());
        s.interactiveConsole(data.consumeBoolean());
    }
}
