package org.edgeha.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.mqtt.api.OverflowPolicy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The MQTT connection's configuration ({@code org.edgeha.mqtt.cfg}, any values): {@link ConnectionSettings#of}
 * returns checked settings or throws {@link IllegalArgumentException} naming the bad setting, never anything else;
 * settings it returns are usable (brokers of one kind, positive limits) and their text does not depend on the password.
 */
class ConnectionSettingsFuzzTest {

    private static final GatewaySettings GATEWAY;

    static {
        try {
            Path home = Files.createTempDirectory("edgeha-fuzz");
            GATEWAY = GatewaySettings.from(Map.of(GatewaySettings.HOME, home.toString(), GatewaySettings.NODE, "3",
                    GatewaySettings.DOMAIN, "plant")::get);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void of(FuzzedDataProvider data) {
        Map<String, Object> values = new HashMap<>();
        String[] brokers = new String[data.consumeInt(0, 3)];
        for (int i = 0; i < brokers.length; i++) {
            brokers[i] = data.consumeBoolean() ? data.consumeString(40)
                    : (data.consumeBoolean() ? "tcp://" : "ssl://") + data.consumeString(20);
        }
        values.put("broker_uris", brokers);
        values.put("client_id", data.consumeString(20));
        values.put("username", data.consumeString(10));
        values.put("_password", "first-" + data.consumeString(10));
        values.put("keepalive_s", data.consumeInt());
        values.put("session_expiry_s", data.consumeLong());
        values.put("will_delay_s", data.consumeLong());
        values.put("connect_timeout_ms", data.consumeInt());
        values.put("max_message_bytes", data.consumeInt());
        values.put("store_max_messages", data.consumeLong());
        values.put("store_max_bytes", data.consumeLong());
        values.put("store_overflow", data.pickValue(OverflowPolicy.values()));
        values.put("store_sync", data.consumeBoolean());
        values.put("tls_truststore", data.consumeBoolean() ? "" : data.consumeString(20));
        values.put("tls_keystore", data.consumeBoolean() ? "" : data.consumeString(20));
        String name = data.consumeBoolean() ? "default" : data.consumeRemainingAsString();
        ConnectionSettings s;
        try {
            s = ConnectionSettings.of(name, config(values), GATEWAY);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertFalse(s.brokers().isEmpty());
        assertTrue(s.brokers().stream().allMatch(b -> b.startsWith("tcp://"))
                || s.brokers().stream().allMatch(b -> b.startsWith("ssl://")), s.brokers().toString());
        assertTrue(s.keepaliveSeconds() > 0 && s.connectTimeoutMillis() > 0 && s.maxMessageBytes() > 0
                && s.storeMaxMessages() > 0 && s.storeMaxBytes() >= 1024 && s.sessionExpirySeconds() >= 0
                && s.willDelaySeconds() >= 0);
        assertTrue(s.statusTopic().endsWith("/3/status") && s.nodeTopicRoot().equals("edgeha/plant/node/"));
        values.put("_password", "another");
        assertEquals(s.toString(), ConnectionSettings.of(name, config(values), GATEWAY).toString(),
                "the settings' text shows the password");
    }

    private static MqttConfig config(Map<String, Object> values) {
        return (MqttConfig) Proxy.newProxyInstance(MqttConfig.class.getClassLoader(), new Class<?>[] {MqttConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
