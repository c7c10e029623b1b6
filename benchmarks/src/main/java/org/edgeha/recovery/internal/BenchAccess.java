package org.edgeha.recovery.internal;

import java.lang.reflect.Proxy;

import org.edgeha.recovery.api.HaConnections;
import org.osgi.service.log.Logger;

/**
 * Builds the real recovery service outside OSGi for the benchmarks (same package: its configuration type
 * is package-private). Defaults from the metatype, a logger that drops everything.
 */
public final class BenchAccess {

    private BenchAccess() {
    }

    public static HaConnections recoveryService() {
        RecoveryConfig config = (RecoveryConfig) Proxy.newProxyInstance(RecoveryConfig.class.getClassLoader(),
                new Class<?>[] {RecoveryConfig.class}, (proxy, method, args) -> method.getDefaultValue());
        Logger quiet = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        return new HaConnectionsImpl(config, quiet);
    }

    public static void shutdown(HaConnections service) {
        ((HaConnectionsImpl) service).deactivate();
    }
}
