package org.edgeha.examples.opcua;

import java.time.Duration;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnection;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.edgeha.recovery.api.RecoveryFunction;
import org.edgeha.recovery.api.RecoveryFunctionProperties;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Recovers every OPC UA session (every connection of kind {@value OpcUaSessionType#KIND}, whatever its name): opens
 * a new session on the connection's endpoint, makes its subscriptions again and installs it under the same coid,
 * trying every {@code retry.delay.ms} until {@code budget.ms} is used up. The failed read is then sent again on
 * the new session by the recovery service. Ranked 50, above the default backoff strategy (−1000) and the
 * README's example configurations (10, 20), which would reconnect a session but not make its subscriptions again.
 *
 * <p>When the budget is used up it throws {@link UaException} {@code Bad_ServerNotConnected} ("OPC UA session … not
 * re-established within … ms …"), which the caller finds attached, as suppressed, to its original failure.
 *
 * <p>Runs on the recovery service's threads, for several sessions at once: thread-safe, holds no state.
 */
@Component(service = RecoveryFunction.class, configurationPid = OpcUaReconnect.PID,
        property = "service.ranking:Integer=50")
@RecoveryFunctionProperties(connection_filter = "(kind=" + OpcUaSessionType.KIND + ")",
        strategy = "example-opcua-reconnect")
@Designate(ocd = OpcUaReconnect.Config.class)
public class OpcUaReconnect implements RecoveryFunction {

    /** Configuration PID of the example's recovery function. */
    public static final String PID = "org.edgeha.examples.opcua.reconnect";

    @ObjectClassDefinition(name = "EdgeHA example: OPC UA session recovery",
            description = "How the example re-establishes a broken OPC UA session (every connection of kind opcua).")
    @interface Config {
        @AttributeDefinition(name = "Budget (ms)", min = "1",
                description = "Longest one recovery may take; then the caller gets its original error. Keep it "
                        + "below recovery.timeout.ms of org.edgeha.recovery (30000)")
        long budget_ms() default 20_000;

        @AttributeDefinition(name = "Retry delay (ms)", min = "0", description = "Pause between two attempts")
        long retry_delay_ms() default 200;

        @AttributeDefinition(name = "Connect timeout (ms)", min = "1",
                description = "Longest one attempt (endpoints, secure channel, session) may take")
        long connect_timeout_ms() default 2_000;
    }

    private final HaConnections connections;
    private final Logger log;
    private final Duration budget;
    private final Duration retryDelay;
    private final Duration connectTimeout;

    @Activate
    public OpcUaReconnect(@Reference final HaConnections connections,
            @Reference(service = LoggerFactory.class) final Logger log, final Config config) {
        this(connections, log, Duration.ofMillis(Math.max(1, config.budget_ms())),
                Duration.ofMillis(Math.max(0, config.retry_delay_ms())),
                Duration.ofMillis(Math.max(1, config.connect_timeout_ms())));
    }

    /**
     * For attaching it in code ({@link OpcUaSession#open} with this function) and for tests.
     *
     * @param budget the longest one recovery may take
     * @param retryDelay the pause between attempts
     * @param connectTimeout the longest one attempt may take
     */
    public OpcUaReconnect(final HaConnections connections, final Logger log, final Duration budget,
            final Duration retryDelay, final Duration connectTimeout) {
        this.connections = connections;
        this.log = log;
        this.budget = budget;
        this.retryDelay = retryDelay;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public int recover(final int coid, final Object handle) throws Exception {
        HaConnection<OpcUaClient> broken = connections.handle(coid, OpcUaClient.class);
        ConnectionInfo info = broken.info();
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Exception last = null;
        int attempt = 0;
        if (handle instanceof OpcUaSession session) {
            session.dropBrokenClient(); // Milo would otherwise reconnect it behind our back, without the subscriptions
        }
        while (true) {
            attempt++;
            Duration attemptTimeout = Duration.ofNanos(Math.min(connectTimeout.toNanos(),
                    Math.max(1_000_000, deadline - System.nanoTime())));
            try {
                int subscriptions;
                if (handle instanceof OpcUaSession session) {
                    subscriptions = session.reestablish(attemptTimeout);
                } else {
                    broken.reconnect(null, attemptTimeout); // a session opened without the example: no state to restore
                    subscriptions = 0;
                }
                log.info("OPC UA session {} ({}) re-established after {} attempt(s) in {} ms; {} subscription(s) "
                        + "made again", info.name(), info.endpoint(), attempt, elapsedMillis(start), subscriptions);
                return coid; // the failed operation is sent again, on the new session
            } catch (InterruptedException e) {
                throw e; // the recovery service's timeout, or this bundle is going away
            } catch (HaException e) {
                throw e; // the connection was closed meanwhile (EBADF): no attempt can cure that
            } catch (Exception e) {
                last = e;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted during attempt " + attempt);
                }
            }
            if (System.nanoTime() + retryDelay.toNanos() >= deadline) {
                break;
            }
            Thread.sleep(retryDelay.toMillis());
        }
        String reason = "OPC UA session " + info.name() + " (" + info.endpoint() + ") not re-established within "
                + budget.toMillis() + " ms (" + attempt + " attempts); last failure: " + last.getMessage();
        log.warn(reason);
        throw new UaException(StatusCodes.Bad_ServerNotConnected, reason, last);
    }

    private static long elapsedMillis(final long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
