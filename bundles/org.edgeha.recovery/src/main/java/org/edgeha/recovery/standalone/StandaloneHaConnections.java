package org.edgeha.recovery.standalone;

import java.lang.reflect.Proxy;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.internal.HaConnectionsImpl;
import org.osgi.service.log.Logger;

/**
 * Starts and stops the recovery service without OSGi, with its default configuration (the defaults of PID
 * {@code org.edgeha.recovery}): the very implementation DS creates in a gateway. No whiteboard: recovery
 * functions are attached per connection ({@code connectAttach}, {@code attach}). Thread-safe, like the service.
 *
 * <pre>{@code
 * HaConnections ha = StandaloneHaConnections.start(StandaloneHaConnections.quietLogger());
 * try {
 *     int coid = ha.connectAttach("plc", address, Duration.ofSeconds(2), recovery, null, 0);
 *     ...
 * } finally {
 *     StandaloneHaConnections.stop(ha);
 * }
 * }</pre>
 */
public final class StandaloneHaConnections {

    private StandaloneHaConnections() {
    }

    /**
     * @param log where the service logs (its lifecycle at info, recoveries at debug and warn)
     * @return a running service; {@link #stop} it when done
     */
    public static HaConnections start(final Logger log) {
        return HaConnectionsImpl.withDefaults(log);
    }

    /**
     * Stops a service {@link #start} returned: closes its connections and ends its recovery threads.
     *
     * @throws IllegalArgumentException when {@code service} did not come from {@link #start}
     */
    public static void stop(final HaConnections service) {
        if (!(service instanceof HaConnectionsImpl impl)) {
            throw new IllegalArgumentException("not a service from StandaloneHaConnections.start: " + service);
        }
        impl.deactivate();
    }

    /** @return a logger that drops everything */
    public static Logger quietLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false
                        : method.getReturnType() == String.class ? "quiet" : null);
    }
}
