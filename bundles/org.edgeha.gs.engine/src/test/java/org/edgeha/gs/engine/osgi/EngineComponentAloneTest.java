package org.edgeha.gs.engine.osgi;

import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.log.Logger;

/** The DS component as the gateway runs it without a transport: one gateway alone forms a group. */
public class EngineComponentAloneTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test(timeout = 30_000)
    public void theShellsProviderFormsAGroupOnAGatewayAlone() throws Exception {
        GatewaySettings settings = GatewaySettings.from(Map.of(GatewaySettings.HOME, tmp.getRoot().getPath())::get);
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
        EngineComponent.Config config = (EngineComponent.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EngineComponent.Config.class}, (p, m, a) -> m.getDefaultValue());
        Logger log = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> {
                    if (Boolean.getBoolean("gs.debug") && a != null && a.length > 0) {
                        System.err.println(m.getName() + " " + java.util.Arrays.toString(a));
                    }
                    return m.getReturnType() == boolean.class ? Boolean.getBoolean("gs.debug") : null;
                });
        EngineComponent engine = new EngineComponent(config, gateway, log, null);
        GsCommands shell = new GsCommands(engine);
        assertTrue(shell.join("line-1", "running").startsWith("joining line-1"));
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && engine.group("line-1").isEmpty()) {
            Thread.sleep(20);
        }
        assertTrue(shell.groups(), engine.group("line-1").isPresent());
        shell.deactivate();
    }
}
