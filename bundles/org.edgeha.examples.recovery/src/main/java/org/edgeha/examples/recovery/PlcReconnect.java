package org.edgeha.examples.recovery;

import java.time.Duration;

import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.api.RecoveryFunctionProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Recovers every connection whose name starts with {@code plc-}: reconnects to the same endpoint every
 * 200 ms, at most 50 times (10 s), logging each attempt. Ranked 10, so it wins over the default
 * strategy (ranking 0) for those connections and leaves the others alone.
 */
@Component(property = "service.ranking:Integer=10")
@RecoveryFunctionProperties(connection_name = "plc-*", strategy = "example-plc-reconnect")
public class PlcReconnect implements RecoveryFunction {

    private static final int ATTEMPTS = 50;
    private static final Duration PAUSE = Duration.ofMillis(200);

    private final HaConnections connections;
    private final Logger log;

    @Activate
    public PlcReconnect(@Reference HaConnections connections,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.connections = connections;
        this.log = log;
    }

    @Override
    public int recover(int coid, Object handle) throws InterruptedException, HaException {
        // Object.class: the selector may match connections of any kind (TCP, files, registered ones)
        HaConnection<Object> broken = connections.handle(coid, Object.class);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                broken.reconnect(null, Duration.ofSeconds(1));
                log.info("Connection {} is back after {} attempt(s)", coid, attempt);
                return coid; // same id: the failed operation is re-issued
            } catch (Exception e) {
                log.info("Connection {}: attempt {} failed: {}", coid, attempt, e.getMessage());
                Thread.sleep(PAUSE.toMillis()); // interrupted when the recovery times out or we are removed
            }
        }
        return FAILED; // the caller gets its original error
    }
}
