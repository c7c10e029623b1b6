package org.edgeha.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.OverflowPolicy;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.standalone.StandaloneHaConnections;
import org.edgeha.testing.broker.BrokerFixture;
import org.edgeha.testing.tls.TestCertificates;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The managed connection against a private Mosquitto whose only listener is TLS and requires a client
 * certificate signed by the test CA: it connects with the right trust and key stores, and never connects
 * without a client certificate, with a trust store of an unrelated CA, or over plaintext {@code tcp://}.
 */
public class TlsConnectionTest {

    /** How long "never connects" is watched: several connect attempts at the recovery's pace. */
    private static final long NEVER_MILLIS = 3_000;
    private static final long CONNECT_DEADLINE_SECONDS = 20;

    private static TestCertificates certs;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;
    private HaConnections ha;
    private final List<ManagedConnection> connections = new ArrayList<>();
    private final List<AutoCloseable> observers = new ArrayList<>();

    @BeforeClass
    public static void makeCertificates() {
        // Only the embedded fallback (no mosquitto here) has no TLS listener; under CI=true the fixture never
        // falls back, so this never skips there.
        Assume.assumeFalse("the embedded broker fallback has no TLS listener: install mosquitto",
                !"true".equals(System.getenv("CI")) && BrokerFixture.selectedKind() == BrokerFixture.Kind.EMBEDDED);
        certs = TestCertificates.create();
    }

    @AfterClass
    public static void deleteCertificates() {
        if (certs != null) {
            certs.close();
        }
    }

    @Before
    public void setUp() {
        broker = BrokerFixture.builder()
                .tls(certs.caCertPem(), certs.serverCertPem(), certs.serverKeyPem(), true)
                .start();
        ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
    }

    @After
    public void tearDown() throws Exception {
        for (AutoCloseable observer : observers) {
            observer.close();
        }
        connections.forEach(ManagedConnection::close);
        if (ha != null) {
            StandaloneHaConnections.stop(ha);
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ---- the tests -----------------------------------------------------------------------------------

    @Test
    public void connectsWithTrustedServerAndClientCertificateAndDeliversOverTls() throws Exception {
        assertTrue(broker.uri(), broker.uri().startsWith("ssl://127.0.0.1:"));
        ConnectionSettings.TlsSettings tls = new ConnectionSettings.TlsSettings(certs.trustStore().toString(),
                certs.trustStorePassword(), certs.keyStore().toString(), certs.keyStorePassword());
        ManagedConnection c = connect(broker.uri(), tls);
        awaitConnected(c);
        assertEquals(broker.uri(), c.status().broker());

        // A second TLS client, same SSLContext, subscribed before the publish: no retry loop needed.
        MqttTestSupport.Observer observer = tlsObserver(broker.uri(), tls, "tls/#");
        c.publish(OutboundMessage.of("tls/a", "over tls".getBytes(StandardCharsets.UTF_8)));
        assertEquals("tls/a=over tls", observer.received.poll(CONNECT_DEADLINE_SECONDS, TimeUnit.SECONDS));

        // And the connection's own subscription, at the same broker, over the same TLS session.
        BlockingQueue<String> own = new LinkedBlockingQueue<>();
        c.subscribe("tls/own", 1, m -> own.add(new String(m.payload(), StandardCharsets.UTF_8)));
        observer.client.publish("tls/own", "from observer".getBytes(StandardCharsets.UTF_8), 1, false);
        String got = own.poll(2, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_DEADLINE_SECONDS);
        while (got == null && System.nanoTime() < deadline) { // the subscription is made asynchronously
            observer.client.publish("tls/own", "from observer".getBytes(StandardCharsets.UTF_8), 1, false);
            got = own.poll(200, TimeUnit.MILLISECONDS);
        }
        assertEquals("from observer", got);
        assertEquals("", c.status().lastError());
    }

    @Test
    public void withoutAClientCertificateItNeverConnectsAndSaysWhy() throws Exception {
        ManagedConnection c = connect(broker.uri(), new ConnectionSettings.TlsSettings(certs.trustStore().toString(),
                certs.trustStorePassword(), "", new char[0]));
        // TLS 1.3: the broker's "certificate required" alert reaches the client after its side of the
        // handshake (TLS 1.2: a handshake failure); either way the TLS layer, not MQTT, refused.
        assertNeverConnects(c, "certificate", "handshake", "alert", "connection reset", "broken pipe");
    }

    @Test
    public void withATrustStoreOfAnUnrelatedCaItNeverConnectsAndSaysTheCertificateIsNotTrusted() throws Exception {
        ManagedConnection c = connect(broker.uri(), new ConnectionSettings.TlsSettings(
                certs.untrustedTrustStore().toString(), certs.untrustedTrustStorePassword(),
                certs.keyStore().toString(), certs.keyStorePassword()));
        assertNeverConnects(c, "certification path", "pkix", "not trusted", "unable to find valid");
    }

    @Test
    public void plaintextToTheTlsPortIsRefused() throws Exception {
        String plain = "tcp://127.0.0.1:" + broker.port();
        ManagedConnection c = connect(plain, new ConnectionSettings.TlsSettings(certs.trustStore().toString(),
                certs.trustStorePassword(), certs.keyStore().toString(), certs.keyStorePassword()));
        assertNeverConnects(c);
        assertTrue(c.status().broker(), c.status().broker().startsWith("tcp://"));
    }

    @Test
    public void aTrustStoreThatCannotBeReadNeverConnectsAndSaysWhy() throws Exception {
        ManagedConnection c = connect(broker.uri(), new ConnectionSettings.TlsSettings(certs.trustStore().toString(),
                "wrong password".toCharArray(), certs.keyStore().toString(), certs.keyStorePassword()));
        assertNeverConnects(c, "password");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private ManagedConnection connect(String uri, ConnectionSettings.TlsSettings tls) throws Exception {
        Path store = tmp.newFolder().toPath();
        ConnectionSettings settings = new ConnectionSettings("tls", 7, List.of(uri), "edgeha-tls-" + System.nanoTime(),
                "", new char[0], 5, 60, 1, 1000, 65_536, store, 1000, 16L * 1024 * 1024, OverflowPolicy.REJECT_NEW,
                false, "edgeha/test/node/7/status", tls);
        // A short recovery budget: within the watch window the recovery gives up at least once, and the link
        // starts over, as in production; what status() says must survive that.
        ManagedConnection c = new ManagedConnection(settings, ha,
                MqttTestSupport.reconnecting(ha, Duration.ofMillis(1_000), new MqttTestSupport.Gate()),
                StandaloneHaConnections.quietLogger());
        connections.add(c);
        c.start();
        return c;
    }

    private static void awaitConnected(ManagedConnection c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_DEADLINE_SECONDS);
        while (c.status().state() != MqttStatus.State.CONNECTED) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not connected after " + CONNECT_DEADLINE_SECONDS + " s: " + c.status().lastError());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Watches for {@link #NEVER_MILLIS}: never connected, and once the first attempt failed, an error saying
     * why, at every look (also between recovery rounds), mentioning one of {@code reasons} if any are given.
     * Returns the last error.
     */
    private static String assertNeverConnects(ManagedConnection c, String... reasons) throws InterruptedException {
        Set<String> seen = new LinkedHashSet<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NEVER_MILLIS);
        while (System.nanoTime() < end) {
            MqttStatus status = c.status();
            assertFalse("connected although it must not: " + status, status.state() == MqttStatus.State.CONNECTED);
            assertEquals(0, status.connects());
            if (!status.lastError().isEmpty()) {
                seen.add(status.lastError());
            }
            Thread.sleep(20);
        }
        MqttStatus status = c.status();
        assertFalse(status.state() == MqttStatus.State.CONNECTED);
        assertEquals(0, status.connects());
        String error = status.lastError();
        seen.add(error);
        assertFalse("status says why it is not connected", error.isBlank());
        for (String shown : seen) {
            assertFalse("no stack trace in the status: " + shown, shown.contains("\tat "));
            if (reasons.length > 0) {
                assertMentionsOneOf(shown, seen, reasons);
            }
        }
        return error;
    }

    private static void assertMentionsOneOf(String error, Set<String> seen, String... reasons) {
        String lower = error.toLowerCase(Locale.ROOT);
        for (String reason : reasons) {
            if (lower.contains(reason)) {
                return;
            }
        }
        throw new AssertionError("lastError should say why (one of " + List.of(reasons) + "): " + error
                + "\nall lastError values seen: " + seen);
    }

    /** A plain Paho client on TLS with the gateway's SSLContext, collecting what arrives on a filter. */
    private MqttTestSupport.Observer tlsObserver(String uri, ConnectionSettings.TlsSettings tls, String filter)
            throws Exception {
        javax.net.ssl.SSLSocketFactory factory = ClientFactory.sslContext(tls).getSocketFactory();
        MqttTestSupport.Observer observer = new MqttTestSupport.Observer(uri, filter,
                options -> options.setSocketFactory(factory));
        observers.add(observer);
        return observer;
    }
}
