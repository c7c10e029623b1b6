package org.edgeha.itests;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Issue 15: the command bundles carry Gogo's {@code @Descriptor}, but import its package optionally, so that in a
 * framework without Gogo they still resolve and their command components (plain services there) are satisfied.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NoGogoIT {

    private static final long DEADLINE_MS = 20_000;

    /** Each command bundle and its command component. */
    private static final Map<String, String> COMMANDS = Map.of(
            "org.edgeha.gateway", "org.edgeha.gateway.internal.GatewayCommands",
            "org.edgeha.recovery", "org.edgeha.recovery.internal.HaCommands",
            "org.edgeha.mqtt", "org.edgeha.mqtt.internal.MqttCommands",
            "org.edgeha.gs.engine", "org.edgeha.gs.engine.osgi.GsCommands",
            "org.edgeha.features", "org.edgeha.features.internal.FeatureCommands");

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.baseWithoutGogo()};
    }

    @Test
    public void theCommandBundlesAreActiveAndTheirCommandComponentsSatisfiedWithoutGogo() throws Exception {
        assertTrue("no Gogo here", Arrays.stream(context.getBundles())
                .noneMatch(b -> b.getSymbolicName().startsWith("org.apache.felix.gogo")));
        String problem = Await.until(DEADLINE_MS, () -> {
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
                Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(e.getKey()))
                        .findFirst().orElse(null);
                if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
                    problems.add(e.getKey() + (bundle == null ? " missing" : " state " + bundle.getState()));
                    continue;
                }
                ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(bundle, e.getValue());
                if (d == null) {
                    problems.add(e.getValue() + " not declared");
                    continue;
                }
                if (scr.getComponentConfigurationDTOs(d).isEmpty()) {
                    problems.add(e.getValue() + " has no configuration");
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE) {
                        problems.add(e.getValue() + " state " + c.state + (c.failure == null ? "" : " " + c.failure));
                    }
                }
            }
            return problems.isEmpty() ? null : problems.toString();
        });
        assertNull(problem, problem);
    }
}
