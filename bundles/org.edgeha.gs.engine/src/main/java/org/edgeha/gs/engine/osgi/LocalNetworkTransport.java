package org.edgeha.gs.engine.osgi;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.engine.core.RealTimeScheduler;
import org.edgeha.gs.engine.sim.InMemoryTransport;
import org.edgeha.gs.engine.sim.SimFaults;
import org.edgeha.gs.engine.sim.SimNetwork;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The in-memory network of this gateway alone, as the transport of last resort: Group Services then works
 * within this one gateway (tests, a runtime without the MQTT bridge). Disabled until
 * {@link LocalNetworkSwitch} finds that no installed bundle offers a real transport, so that a gateway with
 * the MQTT bridge starts its engine once, on MQTT, instead of first here and then again there.
 *
 * <p>Each engine start gets a new incarnation on the network (a stopped attachment cannot be restarted).
 * Thread-safe; deliveries run on this component's own scheduler thread, {@code gs-local-network}.
 */
@Component(name = LocalNetworkTransport.NAME, enabled = false, service = GsTransport.class,
        property = Constants.SERVICE_RANKING + ":Integer=" + Integer.MIN_VALUE)
public final class LocalNetworkTransport implements GsTransport {

    static final String NAME = "org.edgeha.gs.engine.local-network";

    private final int nodeNumber;
    private final RealTimeScheduler scheduler;
    private final SimNetwork network;
    private InMemoryTransport current; // guarded by this; null once stopped: the next use makes a new incarnation

    @Activate
    public LocalNetworkTransport(@Reference Gateway gateway,
            @Reference(service = LoggerFactory.class) Logger logger) {
        nodeNumber = gateway.settings().node();
        scheduler = new RealTimeScheduler("gs-local-network", new OsgiLog(logger));
        network = new SimNetwork(scheduler, System.nanoTime(), SimFaults.NONE);
        logger.info("No bundle offers a Group Services transport: groups span this gateway only (in-memory network)");
    }

    @Deactivate
    void deactivate() {
        stop();
        scheduler.close();
    }

    private synchronized InMemoryTransport current() {
        if (current == null) {
            current = network.transport(nodeNumber);
        }
        return current;
    }

    @Override
    public NodeId localNode() {
        return current().localNode();
    }

    @Override
    public void start(TransportListener listener) {
        current().start(listener);
    }

    @Override
    public void subscribe(String topicFilter) {
        current().subscribe(topicFilter);
    }

    @Override
    public void publish(String topic, byte[] payload) {
        current().publish(topic, payload);
    }

    @Override
    public void stop() {
        InMemoryTransport stopped;
        synchronized (this) {
            stopped = current;
            current = null;
        }
        if (stopped != null) {
            stopped.stop();
        }
    }
}
