package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsWhiteboard;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The component as DS runs it, with a bundle context that records registrations. */
public class ExampleProviderComponentTest {

    /** A registration made through the fake context. */
    private record Registered(Object service, Map<String, Object> properties, boolean[] unregistered) {
    }

    private final List<Registered> registered = new ArrayList<>();
    private final RecordingLogger log = new RecordingLogger();

    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                assertEquals(GroupProvider.class, args[0]);
                Map<String, Object> props = new HashMap<>();
                Dictionary<?, ?> d = (Dictionary<?, ?>) args[2];
                Collections.list(d.keys()).forEach(k -> props.put((String) k, d.get(k)));
                boolean[] gone = {false};
                registered.add(new Registered(args[1], props, gone));
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                        (p, m, a) -> {
                            if (m.getName().equals("unregister")) {
                                gone[0] = true;
                                return null;
                            }
                            throw new UnsupportedOperationException(m.getName());
                        });
            });

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.edgeha.examples.groups.provider~line1");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    public void aGoodConfigurationRegistersAWhiteboardProviderAndDeactivationUnregistersIt() {
        ExampleProviderComponent c = new ExampleProviderComponent(context, log.logger,
                config("group", "line1", "instance", "1", "vote.rule", "reject-all"));
        assertEquals(1, registered.size());
        Registered r = registered.get(0);
        assertTrue(r.service() instanceof ExampleProvider);
        assertEquals("line1", r.properties().get(GsWhiteboard.GROUP_NAME));
        assertEquals(1, r.properties().get(GsWhiteboard.INSTANCE));
        assertEquals(List.of("INFO Example group provider org.edgeha.examples.groups.provider~line1: registered for "
                + "group line1 as instance 1, votes reject-all"), log.lines());
        c.deactivate();
        assertTrue(r.unregistered()[0]);
    }

    @Test
    public void aBadConfigurationIsOneErrorLineNamingThePropertyAndNothingIsRegistered() {
        ExampleProviderComponent c = new ExampleProviderComponent(context, log.logger,
                config("group", "line1", "instance", "1", "vote.rule", "state-pattern", "state.pattern", "fill["));
        assertEquals(List.of(), registered);
        assertEquals(log.lines().toString(), 1, log.lines().size());
        String line = log.lines().get(0);
        assertTrue(line, line.startsWith("ERROR Example group provider org.edgeha.examples.groups.provider~line1: "
                + "state.pattern 'fill[' is not a valid regular expression"));
        assertTrue(line, line.endsWith("; not registered"));
        assertTrue(line, !line.contains("<exception"));
        c.deactivate(); // nothing to unregister, nothing logged
        assertEquals(1, log.lines().size());
    }
}
