package org.edgeha.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Paho connect options from the settings: session, will, credentials, TLS and TCP_NODELAY sockets. */
final class ClientFactory {

    private ClientFactory() {
    }

    static MqttConnectionOptions options(ConnectionSettings s, String[] serverUris, byte[] willPayload)
            throws GeneralSecurityException, IOException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(serverUris);
        options.setAutomaticReconnect(false); // recovery strategies reconnect, hot-swappably (SPEC 3.1)
        options.setCleanStart(false);
        options.setSessionExpiryInterval(s.sessionExpirySeconds());
        options.setKeepAliveInterval(s.keepaliveSeconds());
        options.setConnectionTimeout(Math.max(1, s.connectTimeoutMillis() / 1000));
        if (!s.username().isEmpty()) {
            options.setUserName(s.username());
        }
        if (s.password().length > 0) {
            options.setPassword(new String(s.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage(willPayload, 1, true, null);
        options.setWill(s.willTopic(), will);
        options.setWillMessageProperties(willProperties(s));
        // Paho refuses a TLS factory for tcp:// and a plain one for ssl://: one kind per list of URIs.
        options.setSocketFactory(isTls(serverUris)
                ? new NoDelaySslSocketFactory(sslContext(s.tls()).getSocketFactory())
                : new NoDelaySocketFactory());
        return options;
    }

    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties willProperties(ConnectionSettings s) {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        properties.setWillDelayInterval(s.willDelaySeconds());
        return properties;
    }

    private static boolean isTls(String[] uris) {
        for (String uri : uris) {
            if (uri.startsWith("ssl://")) {
                return true;
            }
        }
        return false;
    }

    static SSLContext sslContext(ConnectionSettings.TlsSettings tls) throws GeneralSecurityException, IOException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(tls.trustStore().isEmpty() ? null : load(tls.trustStore(), tls.trustStorePassword()));
        KeyManagerFactory keys = null;
        if (!tls.keyStore().isEmpty()) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(tls.keyStore(), tls.keyStorePassword()), tls.keyStorePassword());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(file.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            store.load(in, password);
        }
        return store;
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * Sockets with TCP_NODELAY: without it a request/response over Mosquitto waits for delayed ACKs
     * (88 ms instead of 0.3 ms measured here), and Group Services votes are request/response.
     */
    static final class NoDelaySocketFactory extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, local, localPort));
        }
    }

    /** The same for TLS. */
    static final class NoDelaySslSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        NoDelaySslSocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
