package org.edgeha.recovery.internal;

import java.lang.reflect.Proxy;

import org.edgeha.recovery.api.HaConnections;
import org.osgi.service.log.Logger;

/**
 * The recovery service outside OSGi, with its default configuration: for other modules' tests and the
 * benchmarks, which run on a plain class path. In a gateway, DS creates {@link HaConnectionsImpl}.
 */
public final class StandaloneRecovery {

    private StandaloneRecovery() {
    }

    /** @return a running service; {@link #stop} it when done */
    public static HaConnections start(Logger log) {
        RecoveryConfig defaults = (RecoveryConfig) Proxy.newProxyInstance(RecoveryConfig.class.getClassLoader(),
                new Class<?>[] {RecoveryConfig.class}, (proxy, method, args) -> method.getDefaultValue());
        return new HaConnectionsImpl(defaults, log);
    }

    /** @return a logger that drops everything */
    public static Logger quietLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false
                        : method.getReturnType() == String.class ? "quiet" : null);
    }

    public static void stop(HaConnections service) {
        ((HaConnectionsImpl) service).deactivate();
    }
}
