package org.edgeha.gs.engine.osgi;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.service.log.Logger;

/** The engine's DS component built as the gateway builds it, without a framework: node 1, on the local network. */
final class StandaloneEngine {

    private StandaloneEngine() {
    }

    /**
     * @param home the gateway's home folder
     * @param debugEnabled whether the logger reports debug as enabled (the gateway's log does when asked)
     * @param print whether log calls are printed to standard error
     */
    static EngineComponent start(Path home, boolean debugEnabled, boolean print) {
        GatewaySettings settings = GatewaySettings.from(Map.of(GatewaySettings.HOME, home.toString())::get);
        Gateway gateway = new Gateway() {
            @Override
            public GatewaySettings settings() {
                return settings;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public long startupMillis() {
                return 1;
            }
        };
        EngineComponent.Config config = (EngineComponent.Config) Proxy.newProxyInstance(
                StandaloneEngine.class.getClassLoader(), new Class<?>[] {EngineComponent.Config.class},
                (p, m, a) -> m.getDefaultValue());
        Logger log = (Logger) Proxy.newProxyInstance(StandaloneEngine.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (p, m, a) -> {
                    if (print && a != null && a.length > 0) {
                        System.err.println(m.getName() + " " + java.util.Arrays.toString(a));
                    }
                    return m.getReturnType() == boolean.class ? debugEnabled : null;
                });
        return new EngineComponent(config, gateway, log, new LocalNetworkTransport(gateway, log));
    }
}
