package org.edgeha.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.edgeha.gateway.api.GatewaySettings;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Checking the connection's configuration: clear refusals, defaults from the gateway, no secret in logs. */
public class ConnectionSettingsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private MqttConfig config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (MqttConfig) Proxy.newProxyInstance(MqttConfig.class.getClassLoader(), new Class<?>[] {MqttConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private GatewaySettings gateway() {
        Map<String, String> values = Map.of(GatewaySettings.HOME, tmp.getRoot().getPath(), GatewaySettings.NODE, "4",
                GatewaySettings.DOMAIN, "plant", GatewaySettings.BROKER, "tcp://broker.plant:1883");
        return GatewaySettings.from(values::get);
    }

    @Test
    public void defaultsComeFromTheGateway() {
        ConnectionSettings s = ConnectionSettings.of("default", config(), gateway());
        assertEquals(java.util.List.of("tcp://broker.plant:1883"), s.brokers());
        assertEquals("edgeha-plant-4", s.clientId());
        assertEquals("edgeha/plant/node/4/status", s.statusTopic());
        assertEquals(tmp.getRoot().toPath().toAbsolutePath().normalize().resolve("data/mqtt/default"), s.storeDir());
    }

    @Test
    public void badBrokersAreRefusedWithTheReason() {
        String[][] bad = {{"http://x:1"}, {"tcp://nohostport"}, {"tcp://a:1", "ssl://b:2"}};
        for (String[] uris : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionSettings.of("default", config("broker_uris", uris), gateway()));
            assertTrue(e.getMessage(), e.getMessage().startsWith("broker.uris: "));
        }
    }

    @Test
    public void plaintextIsRefusedWhenTlsIsConfigured() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.of("default",
                config("broker_uris", new String[] {"tcp://broker:1883"}, "tls_truststore", "/etc/trust.p12"), gateway()));
        assertTrue(e.getMessage(), e.getMessage().contains("use ssl://"));
        ConnectionSettings ok = ConnectionSettings.of("default",
                config("broker_uris", new String[] {"ssl://broker:8883"}, "tls_truststore", "/etc/trust.p12"), gateway());
        assertTrue(ok.tls().configured());
    }

    @Test
    public void secretsNeverAppearInTheSettingsText() {
        ConnectionSettings s = ConnectionSettings.of("default", config("username", "gw4", "_password", "hunter2",
                "broker_uris", new String[] {"ssl://broker:8883"}, "tls_keystore", "/etc/gw.p12",
                "_tls_keystore_password", "k3ypass", "_tls_truststore_password", "tru5t"), gateway());
        String text = s.toString();
        assertTrue(text, text.contains("user gw4") && text.contains("****"));
        for (String secret : new String[] {"hunter2", "k3ypass", "tru5t"}) {
            assertFalse(text, text.contains(secret));
        }
    }

    @Test
    public void aChangeNamesItsKeysAndOnlyConnectSettingsTakeAReconnect() {
        ConnectionSettings before = ConnectionSettings.of("default", config(), gateway());
        assertEquals(java.util.List.of(), before.differences(ConnectionSettings.of("default", config(), gateway())));
        java.util.List<String> store = before.differences(ConnectionSettings.of("default",
                config("store_max_messages", 10L, "store_overflow", org.edgeha.mqtt.api.OverflowPolicy.DROP_OLDEST,
                        "max_message_bytes", 1000), gateway()));
        assertEquals(java.util.List.of("max.message.bytes", "store.max.messages", "store.overflow"), store);
        assertFalse(ConnectionSettings.needsReconnect(store));
        java.util.List<String> connect = before.differences(ConnectionSettings.of("default",
                config("keepalive_s", 5, "_password", "s3cret"), gateway()));
        assertEquals(java.util.List.of(".password", "keepalive.s"), connect);
        assertTrue(ConnectionSettings.needsReconnect(connect));
    }

    @Test
    public void aValueScrCannotConvertIsNamedByItsKey() {
        MqttConfig wrong = (MqttConfig) Proxy.newProxyInstance(MqttConfig.class.getClassLoader(),
                new Class<?>[] {MqttConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("will_delay_s")) {
                        throw new IllegalStateException("as SCR: For input string: \"soon\"");
                    }
                    return method.getDefaultValue();
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigValues.check(MqttConfig.class, wrong));
        assertEquals("will.delay.s: not a whole number", e.getMessage());
        ConfigValues.check(MqttConfig.class, config()); // the defaults are all right
        assertEquals(".tls.keystore.password", ConfigValues.key("_tls_keystore_password"));
    }
}
