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
        MqttConnectionOptions options = base(s, serverUris);
        options.setCleanStart(false);
        options.setSessionExpiryInterval(s.sessionExpirySeconds());
        MqttMessage will = new MqttMessage(willPayload, 1, true, null);
        options.setWill(s.willTopic(), will);
        options.setWillMessageProperties(willProperties(s));
        return options;
    }

    /**
     * A short-lived connection of its own ({@link NodeProbe}): same broker, credentials and TLS, but a clean session
     * that ends with it and no will, so that nothing it does speaks for the gateway.
     */
    static MqttConnectionOptions probeOptions(ConnectionSettings s, String[] serverUris)
            throws GeneralSecurityException, IOException {
        MqttConnectionOptions options = base(s, serverUris);
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        return options;
    }

    private static MqttConnectionOptions base(ConnectionSettings s, String[] serverUris)
            throws GeneralSecurityException, IOException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(serverUris);
        options.setAutomaticReconnect(false); // recovery strategies reconnect, hot-swappably (SPEC 3.1)
        options.setKeepAliveInterval(s.keepaliveSeconds());
        options.setConnectionTimeout(Math.max(1, s.connectTimeoutMillis() / 1000));
        if (!s.username().isEmpty()) {
            options.setUserName(s.username());
        }
        if (s.password().length > 0) {
            options.setPassword(new String(s.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        // Paho refuses a TLS factory for tcp:// and a plain one for ssl://: one kind per list of URIs.
        options.setSocketFactory(isTls(serverUris)
                ? new NoDelaySslSocketFactory(sslContext(s.tls()).getSocketFactory())
                : new NoDelaySocketFactory());
        return options;
    }

    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties willProperties(ConnectionSettings s) {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties = ConnectionMessages.jsonProperties();
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
     * (88 ms instead of 0.3 ms measured here), and Group Services votes are request/response. Paho creates
     * its sockets unconnected ({@link #createSocket()}); those are {@link SettlingSocket}s.
     */
    static final class NoDelaySocketFactory extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new SettlingSocket());
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

    /**
     * A socket whose reads, when they fail (reset or end of stream) before the broker has sent a single byte, fail
     * {@link #SETTLE_MS} late. Paho 1.2.5 starts its receiver, sender and callback threads one after the other,
     * polling every 100 ms until it sees each running; one that already ended because the connection was
     * accepted and reset at once (as by a broker at its connection limit, or a load balancer without a backend)
     * is never seen, and the connecting thread waits for good (eclipse-paho/paho.mqtt.java#850): one thread lost
     * per such attempt. Held until all three are up, the attempt fails normally. Once the broker has answered
     * (its CONNACK), failures are reported at once.
     */
    static final class SettlingSocket extends Socket {
        static final long SETTLE_MS = 1_000;
        private volatile boolean heard;

        @Override
        public InputStream getInputStream() throws IOException {
            return new java.io.FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    try {
                        return settled(super.read());
                    } catch (IOException e) {
                        throw settled(e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return settled(super.read(b, off, len));
                    } catch (IOException e) {
                        throw settled(e);
                    }
                }

                @Override
                public int available() throws IOException { // Paho's receiver asks this before it reads
                    try {
                        return super.available();
                    } catch (IOException e) {
                        throw settled(e);
                    }
                }
            };
        }

        private int settled(int result) {
            if (result < 0) {
                holdIfUnheard();
            } else {
                heard = true;
            }
            return result;
        }

        private IOException settled(IOException e) {
            holdIfUnheard();
            return e;
        }

        private void holdIfUnheard() {
            if (!heard) {
                try {
                    Thread.sleep(SETTLE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The same for TLS (a reset before the handshake completes fails the connect before Paho's receiver starts). */
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
