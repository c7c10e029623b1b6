package org.edgeha.mqtt.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.mqtt.api.OverflowPolicy;

/**
 * Everything one managed connection needs, checked. Immutable. {@link #toString()} masks secrets, so the
 * settings can be logged as they are.
 */
record ConnectionSettings(String name, int node, List<String> brokers, String clientId, String username, char[] password,
        int keepaliveSeconds, long sessionExpirySeconds, long willDelaySeconds, int connectTimeoutMillis,
        int maxMessageBytes, Path storeDir, long storeMaxMessages, long storeMaxBytes, OverflowPolicy overflow,
        boolean storeSync, String willTopic, TlsSettings tls) {

    /** Trust and key stores for {@code ssl://} brokers; empty paths mean the JDK defaults. */
    record TlsSettings(String trustStore, char[] trustStorePassword, String keyStore, char[] keyStorePassword) {
        boolean configured() {
            return !trustStore.isEmpty() || !keyStore.isEmpty();
        }

        @Override
        public String toString() {
            return "trust=" + (trustStore.isEmpty() ? "JDK default" : trustStore) + ", key="
                    + (keyStore.isEmpty() ? "none" : keyStore);
        }
    }

    /**
     * @throws IllegalArgumentException naming the first bad setting
     */
    static ConnectionSettings of(String name, MqttConfig config, GatewaySettings gateway) {
        List<String> brokers = config.broker_uris().length == 0
                ? List.of(gateway.broker().toString())
                : Arrays.stream(config.broker_uris()).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String broker : brokers) {
            URI uri;
            try {
                uri = URI.create(broker);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("broker.uris: '" + broker + "' is not a URI");
            }
            if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() <= 0) {
                throw new IllegalArgumentException("broker.uris: '" + broker + "' must look like tcp://host:port or ssl://host:port");
            }
        }
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("broker.uris: no broker given");
        }
        long plain = brokers.stream().filter(b -> b.startsWith("tcp://")).count();
        if (plain > 0 && plain < brokers.size()) {
            throw new IllegalArgumentException("broker.uris: " + brokers + " mixes tcp:// and ssl://; use one kind");
        }
        boolean tlsConfigured = !config.tls_truststore().isBlank() || !config.tls_keystore().isBlank();
        if (tlsConfigured && plain > 0) {
            // Never fall back to plaintext when the operator asked for TLS.
            throw new IllegalArgumentException("broker.uris: " + brokers + " is plaintext but tls.truststore or "
                    + "tls.keystore is set; use ssl:// URIs");
        }
        String clientId = config.client_id().isBlank()
                ? "edgeha-" + gateway.domain() + "-" + gateway.node()
                : config.client_id().trim();
        String status = "edgeha/" + gateway.domain() + "/node/" + gateway.node() + "/status";
        TlsSettings tls = new TlsSettings(config.tls_truststore().trim(), config._tls_truststore_password().toCharArray(),
                config.tls_keystore().trim(), config._tls_keystore_password().toCharArray());
        return new ConnectionSettings(name, gateway.node(), List.copyOf(brokers), clientId, config.username(),
                config._password().toCharArray(), Math.max(1, config.keepalive_s()), Math.max(0, config.session_expiry_s()),
                Math.max(0, config.will_delay_s()), Math.max(1, config.connect_timeout_ms()),
                Math.max(1, config.max_message_bytes()), gateway.data().resolve("mqtt").resolve(name),
                Math.max(1, config.store_max_messages()), Math.max(1024, config.store_max_bytes()),
                config.store_overflow(), config.store_sync(), status, tls);
    }

    /** The keys whose change a running connection applies without reconnecting. */
    private static final java.util.Set<String> APPLIED_WITHOUT_RECONNECT = java.util.Set.of("connect.timeout.ms",
            "max.message.bytes", "store.max.messages", "store.max.bytes", "store.overflow", "store.sync");

    /** @return the configuration keys whose values differ in {@code next}, in {@link MqttConfig} order */
    List<String> differences(ConnectionSettings next) {
        List<String> keys = new java.util.ArrayList<>();
        differs(keys, "broker.uris", brokers, next.brokers);
        differs(keys, "client.id", clientId, next.clientId);
        differs(keys, "username", username, next.username);
        differs(keys, ".password", String.valueOf(password), String.valueOf(next.password));
        differs(keys, "keepalive.s", keepaliveSeconds, next.keepaliveSeconds);
        differs(keys, "session.expiry.s", sessionExpirySeconds, next.sessionExpirySeconds);
        differs(keys, "will.delay.s", willDelaySeconds, next.willDelaySeconds);
        differs(keys, "connect.timeout.ms", connectTimeoutMillis, next.connectTimeoutMillis);
        differs(keys, "max.message.bytes", maxMessageBytes, next.maxMessageBytes);
        differs(keys, "store.max.messages", storeMaxMessages, next.storeMaxMessages);
        differs(keys, "store.max.bytes", storeMaxBytes, next.storeMaxBytes);
        differs(keys, "store.overflow", overflow, next.overflow);
        differs(keys, "store.sync", storeSync, next.storeSync);
        differs(keys, "tls.truststore", tls.trustStore(), next.tls.trustStore());
        differs(keys, ".tls.truststore.password", String.valueOf(tls.trustStorePassword()),
                String.valueOf(next.tls.trustStorePassword()));
        differs(keys, "tls.keystore", tls.keyStore(), next.tls.keyStore());
        differs(keys, ".tls.keystore.password", String.valueOf(tls.keyStorePassword()),
                String.valueOf(next.tls.keyStorePassword()));
        return keys;
    }

    private static void differs(List<String> keys, String key, Object a, Object b) {
        if (!a.equals(b)) {
            keys.add(key);
        }
    }

    /** @return whether a running connection must connect again to apply a change of {@code changedKeys} */
    static boolean needsReconnect(List<String> changedKeys) {
        return changedKeys.stream().anyMatch(k -> !APPLIED_WITHOUT_RECONNECT.contains(k));
    }

    /** The topic this gateway's presence is published on: retained "online", will "offline" ({@link Presence}). */
    String statusTopic() {
        return willTopic;
    }

    /** @return {@code edgeha/{domain}/node/}: the status topics of all nodes are below it */
    String nodeTopicRoot() {
        String suffix = node + "/status";
        return willTopic.substring(0, willTopic.length() - suffix.length());
    }

    /**
     * @return {@code edgeha-gw/{domain}/node/}: the gateways' own traffic (markers, conflict notices) is below it, apart
     *     from what other systems read under {@code edgeha/{domain}/} (docs/mqtt-api.md)
     */
    String internalNodeRoot() {
        return "edgeha-gw/" + nodeTopicRoot().substring("edgeha/".length());
    }

    @Override
    public String toString() {
        return "connection " + name + ": brokers " + brokers + ", client id " + clientId
                + (username.isEmpty() ? "" : ", user " + username + ", password " + (password.length == 0 ? "none" : "****"))
                + ", keepalive " + keepaliveSeconds + " s, session expiry " + sessionExpirySeconds + " s, will delay "
                + willDelaySeconds + " s, store " + storeDir + " (" + storeMaxMessages + " messages / " + storeMaxBytes
                + " bytes, " + overflow + (storeSync ? ", synced" : "") + ")" + (tls.configured() ? ", TLS " + tls : "");
    }
}
