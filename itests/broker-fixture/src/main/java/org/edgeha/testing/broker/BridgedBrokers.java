package org.edgeha.testing.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgeha.testing.tcp.FaultProxy;

/**
 * Two private Mosquitto brokers, A and B, where B bridges topics {@code edgeha/#} both ways to A, for tests of
 * gateways on different brokers. B's bridge reaches A through a {@link FaultProxy}, which is how
 * {@link #cutBridge()} cuts it; the brokers themselves stay up and keep their clients.
 *
 * <pre>{@code
 * try (BridgedBrokers brokers = BridgedBrokers.start()) {   // returns once messages cross both ways
 *     gateway1.connect(brokers.uriA());
 *     gateway2.connect(brokers.uriB());
 *     brokers.cutBridge();                                   // A and B are partitioned
 *     brokers.healBridge();
 *     brokers.awaitBridged(Duration.ofSeconds(10));
 *     brokers.brokerA().kill();                              // each broker is a BrokerFixture
 * }
 * }</pre>
 *
 * <h2>The bridge</h2>
 * Both brokers get {@link BrokerFixture}'s own mosquitto.conf lines (loopback listener, {@code allow_anonymous
 * true}, {@code persistence false}, {@code set_tcp_nodelay true}, {@code max_inflight_messages 1000},
 * {@code max_queued_messages 100000}); B's config adds a bridge section: {@code connection edgeha-bridge},
 * {@code address 127.0.0.1:PROXY_PORT}, {@code topic edgeha/# both 1} and {@code topic edgeha-gw/# both 1} (both
 * roots of docs/mqtt-api.md), {@code bridge_protocol_version} as in
 * {@link BridgeProtocol}, {@code cleansession false}, {@code try_private true}, {@code notifications false} and
 * {@code restart_timeout 1 1}. The last one needs both values: mosquitto 2.0.11 keeps its default backoff (5 to
 * 30 s) when given one, so B took 5 s or more to reconnect; with "1 1" it reconnects within about 2 s.
 * Nothing loops back: mosquitto subscribes on A with no-local (MQTT 5) or announces itself as a bridge
 * ({@code try_private}, MQTT 3.1.1). What a cut does to messages depends on the protocol; see there. Restarting
 * A loses its side of the bridge's session; B subscribes again.
 * Mosquitto only: {@link #start()} fails where {@link BrokerFixture#selectedKind()} is the embedded broker.
 *
 * <p>Thread-safe: every method may be called from any thread; the fault methods act on the proxy, which is
 * thread-safe, and the brokers are {@link BrokerFixture}s.
 */
public final class BridgedBrokers implements AutoCloseable {

    /** The protocol B's bridge speaks to A (mosquitto's {@code bridge_protocol_version}). */
    public enum BridgeProtocol {
        /**
         * {@code mqttv50}, the default: MQTT 5 properties (user properties, message expiry) cross the bridge. But
         * mosquitto 2.0 sends no session expiry interval in the bridge's CONNECT, so A ends the bridge's session
         * whenever the link drops (mosquitto issues 2424, 2980): QoS 1 messages published on A during a cut never
         * reach B. B keeps its side, so those published on B cross after the heal.
         */
        MQTT_5("mqttv50"),
        /**
         * {@code mqttv311}: a persistent session on both sides, so QoS 1 messages published during a cut cross
         * both ways after the heal; but MQTT 5 properties are stripped on the way.
         */
        MQTT_3_1_1("mqttv311");

        private final String configName;

        BridgeProtocol(String configName) {
            this.configName = configName;
        }
    }

    /** Topic under which {@link #awaitBridged} publishes its probes (QoS 0, not retained). */
    public static final String PROBE_TOPIC = "edgeha/_fixture/bridge-probe";

    /** B's bridge section (see the class comment): %1$d is the port of the proxy in front of A, %2$s the protocol. */
    static final List<String> BRIDGE_CONFIG = List.of(
            "connection edgeha-bridge",
            "address 127.0.0.1:%1$d",
            "topic edgeha/# both 1",
            "topic edgeha-gw/# both 1", // the gateways' own root (docs/mqtt-api.md): protocol frames, markers
            "bridge_protocol_version %2$s",
            "cleansession false",
            "try_private true",
            "notifications false",
            "restart_timeout 1 1");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger PROBES = new AtomicInteger();

    private final BrokerFixture brokerA;
    private final FaultProxy link;
    private final BrokerFixture brokerB;

    private BridgedBrokers(BrokerFixture brokerA, FaultProxy link, BrokerFixture brokerB) {
        this.brokerA = brokerA;
        this.link = link;
        this.brokerB = brokerB;
    }

    /** Starts brokers bridged with {@link BridgeProtocol#MQTT_5}; see {@link #start(BridgeProtocol)}. */
    public static BridgedBrokers start() {
        return start(BridgeProtocol.MQTT_5);
    }

    /**
     * Starts A, the proxy and B (each on a free loopback port) and returns once a message crosses the bridge
     * both ways.
     *
     * @throws IllegalStateException if mosquitto is not the selected broker, or the bridge does not carry
     *                               messages within 20 s (the message holds the tail of both logs)
     */
    public static BridgedBrokers start(BridgeProtocol protocol) {
        if (BrokerFixture.selectedKind() != BrokerFixture.Kind.MOSQUITTO) {
            throw new IllegalStateException("bridged brokers need mosquitto (apt-get install mosquitto), not the "
                    + BrokerFixture.selectedKind() + " broker");
        }
        BrokerFixture a = BrokerFixture.start();
        FaultProxy link = null;
        BrokerFixture b = null;
        try {
            link = FaultProxy.start("127.0.0.1", a.port());
            BrokerFixture.Builder bridging = BrokerFixture.builder();
            for (String line : BRIDGE_CONFIG) {
                bridging.configLine(String.format(line, link.port(), protocol.configName));
            }
            b = bridging.start();
            BridgedBrokers brokers = new BridgedBrokers(a, link, b);
            brokers.awaitBridged(START_TIMEOUT);
            return brokers;
        } catch (RuntimeException | Error e) {
            if (b != null) {
                b.close();
            }
            if (link != null) {
                link.close();
            }
            a.close();
            throw e;
        }
    }

    /** Broker A, the one B's bridge connects to. */
    public String uriA() {
        return brokerA.uri();
    }

    /** Broker B, the one that runs the bridge. */
    public String uriB() {
        return brokerB.uri();
    }

    /** Broker A's fixture, e.g. to kill and restart it; B's bridge reconnects within about 2 s. */
    public BrokerFixture brokerA() {
        return brokerA;
    }

    /** Broker B's fixture; restarted, it bridges again with the same configuration. */
    public BrokerFixture brokerB() {
        return brokerB;
    }

    /**
     * The proxy between B's bridge and A, for finer faults than {@link #cutBridge()}: e.g.
     * {@code bridgeProxy().blackhole()} drops the link silently, which the brokers notice only through the bridge's
     * keepalive (60 s), so not within a typical test. {@link #healBridge()} undoes any of them.
     */
    public FaultProxy bridgeProxy() {
        return link;
    }

    /**
     * Cuts the bridge: its connection is reset (both brokers notice at once) and B's reconnect attempts are
     * reset as soon as they are accepted. Clients of A and B stay connected; each side's messages stay on it.
     */
    public void cutBridge() {
        link.refuseNew(true);
        link.resetAll();
    }

    /** Undoes {@link #cutBridge()} and any fault on {@link #bridgeProxy()}; does not wait: see awaitBridged. */
    public void healBridge() {
        link.refuseNew(false);
        link.restore();
        link.resume(FaultProxy.Direction.BOTH);
    }

    /**
     * Waits until a message published on A under {@link #PROBE_TOPIC} reaches a subscriber on B, and one
     * published on B reaches A. Subscribers to {@code edgeha/#} see these probes.
     *
     * @throws IllegalStateException at the deadline, with the tail of both logs
     */
    public void awaitBridged(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        probe(brokerA, brokerB, "A to B", deadline);
        probe(brokerB, brokerA, "B to A", deadline);
    }

    /** Stops B, the proxy and A; idempotent. */
    @Override
    public void close() {
        try {
            brokerB.close();
        } finally {
            link.close();
            brokerA.close();
        }
    }

    @Override
    public String toString() {
        return "BridgedBrokers[A " + uriA() + ", B " + uriB() + " bridged through " + link + "]";
    }

    /** Publishes probes on {@code from} every 200 ms until one reaches a subscriber on {@code to}. */
    private static void probe(BrokerFixture from, BrokerFixture to, String direction, long deadline) {
        int n = PROBES.incrementAndGet();
        String topic = PROBE_TOPIC + "/" + n;
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            try (RawMqtt subscriber = RawMqtt.connect(to.port(), "edgeha-bridge-probe-sub-" + n);
                 RawMqtt publisher = RawMqtt.connect(from.port(), "edgeha-bridge-probe-pub-" + n)) {
                subscriber.subscribe(topic);
                while (System.nanoTime() - deadline < 0) {
                    publisher.publish(topic, direction);
                    if (subscriber.awaitPublish(topic, 200)) {
                        return;
                    }
                }
            } catch (IOException e) { // e.g. a broker restarting: try again until the deadline
                last = e;
                sleepMillis(100);
            }
        }
        IllegalStateException failure = new IllegalStateException("bridge carried no message " + direction
                + " in time (" + from.uri() + " to " + to.uri() + ")" + bridgeLog(to, from));
        if (last != null) {
            failure.addSuppressed(last);
        }
        throw failure;
    }

    private static String bridgeLog(BrokerFixture one, BrokerFixture other) {
        StringBuilder text = new StringBuilder();
        for (BrokerFixture broker : List.of(one, other)) {
            broker.logFile().ifPresent(log -> text.append("\n--- ").append(log).append(" (tail) ---\n")
                    .append(MosquittoBackend.tail(log)));
        }
        return text.toString();
    }

    private static void sleepMillis(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bridge", e);
        }
    }
}
