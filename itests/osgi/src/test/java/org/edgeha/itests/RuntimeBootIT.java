package org.edgeha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeService;

/** Boots the runtime in a real Felix: every EdgeHA bundle ACTIVE, every EdgeHA component satisfied. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeBootIT {

    private static final long DEADLINE_MS = 20_000;

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private Gateway gateway;

    @Inject
    private MetaTypeService metaType;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base()};
    }

    private List<Bundle> edgehaBundles() {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("org.edgeha.") && !b.getSymbolicName().startsWith("PAXEXAM"))
                .filter(b -> !b.getSymbolicName().equals("org.edgeha.itests"))
                .collect(Collectors.toList());
    }

    @Test
    public void everyEdgeHaBundleIsActive() throws Exception {
        List<String> expected = List.of("org.edgeha.gateway", "org.edgeha.gateway.api", "org.edgeha.recovery",
                "org.edgeha.recovery.api", "org.edgeha.recovery.strategy.backoff", "org.edgeha.recovery.strategy.failover",
                "org.edgeha.mqtt.api", "org.edgeha.mqtt", "org.edgeha.gs.api", "org.edgeha.gs.spi", "org.edgeha.gs.engine", "org.edgeha.gs.mqtt");
        List<String> installed = edgehaBundles().stream().map(Bundle::getSymbolicName).collect(Collectors.toList());
        assertTrue("installed: " + installed, installed.containsAll(expected));

        String problem = Await.until(DEADLINE_MS, () -> {
            List<String> notActive = new ArrayList<>();
            for (Bundle b : edgehaBundles()) {
                if (b.getState() != Bundle.ACTIVE) {
                    notActive.add(b.getSymbolicName() + " state " + b.getState());
                }
            }
            return notActive.isEmpty() ? null : "not active: " + notActive;
        });
        assertNull(problem, problem);
    }

    @Test
    public void everyEdgeHaComponentIsSatisfied() throws Exception {
        Bundle[] bundles = edgehaBundles().toArray(new Bundle[0]);
        List<ComponentDescriptionDTO> descriptions = new ArrayList<>(scr.getComponentDescriptionDTOs(bundles));
        assertFalse("the EdgeHA bundles declare components", descriptions.isEmpty());

        String problem = Await.until(DEADLINE_MS, () -> {
            List<String> unsatisfied = new ArrayList<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundles)) {
                if (!scr.isComponentEnabled(description)) {
                    // A component declared off (enabled="false") is switched on by its own bundle when needed: the
                    // engine's local network only while no bundle offers a Group Services transport (gs.mqtt does here).
                    if (description.defaultEnabled) {
                        unsatisfied.add(description.name + " disabled");
                    }
                    continue;
                }
                var configurations = scr.getComponentConfigurationDTOs(description);
                boolean waitsForConfiguration = "require".equals(description.configurationPolicy);
                if (configurations.isEmpty() && !waitsForConfiguration) {
                    // (a component that requires a configuration rightly has none until an operator adds one)
                    unsatisfied.add(description.name + " has no configuration");
                }
                for (ComponentConfigurationDTO c : configurations) {
                    if (c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE) {
                        unsatisfied.add(description.name + " state " + c.state + " unsatisfied references "
                                + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name).collect(Collectors.toList())
                                + (c.failure == null ? "" : " failure " + c.failure));
                    }
                }
            }
            return unsatisfied.isEmpty() ? null : unsatisfied.toString();
        });
        assertNull(problem, problem);
    }

    @Test
    public void gatewayBecomesReadyWithTheConfiguredHome() throws Exception {
        String problem = Await.until(DEADLINE_MS, () -> gateway.isReady() ? null : "gateway not ready");
        assertNull(problem, problem);
        assertTrue(gateway.startupMillis() >= 0);
        GatewaySettings settings = gateway.settings();
        assertEquals(context.getProperty("edgeha.home"), settings.home().toString());
        assertEquals(GatewaySettings.DEFAULT_NODE, settings.node());
        assertTrue("data/ made", settings.data().toFile().isDirectory());
    }

    @Test
    public void logConfigurationIsDescribedByMetatype() {
        Bundle runtime = edgehaBundles().stream().filter(b -> b.getSymbolicName().equals("org.edgeha.gateway"))
                .findFirst().orElseThrow();
        var info = metaType.getMetaTypeInformation(runtime);
        assertTrue(Arrays.asList(info.getPids()).contains("org.edgeha.gateway.log"));
    }

    @Test
    public void theGroupServicesTransportWiresToApiBundlesOnlyAndTheSpiHasABundleOfItsOwn() {
        List<String> spiExporters = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring != null && wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE).stream()
                    .anyMatch(c -> "org.edgeha.gs.spi".equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))) {
                spiExporters.add(b.getSymbolicName());
            }
        }
        assertEquals("who exports the transport SPI", List.of("org.edgeha.gs.spi"), spiExporters);

        for (String bsn : List.of("org.edgeha.gs.mqtt", "org.edgeha.gs.engine")) {
            Bundle bundle = edgehaBundles().stream().filter(b -> b.getSymbolicName().equals(bsn)).findFirst().orElseThrow();
            List<String> providers = bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)
                    .stream().map(BundleWire::getProvider).map(r -> r.getSymbolicName()).distinct().sorted()
                    .collect(Collectors.toList());
            assertTrue(bsn + " imports the SPI from its bundle: " + providers, providers.contains("org.edgeha.gs.spi"));
            assertFalse(bsn + " wires to no other EdgeHA implementation bundle: " + providers, providers.stream()
                    .anyMatch(p -> p.startsWith("org.edgeha.") && !p.endsWith(".api") && !p.equals("org.edgeha.gs.spi")));
        }
    }

    @Test
    public void theEngineRunsOnceOnTheMqttTransportAndTheLocalNetworkStaysOff() throws Exception {
        Bundle engine = edgehaBundles().stream().filter(b -> b.getSymbolicName().equals("org.edgeha.gs.engine"))
                .findFirst().orElseThrow();
        ComponentDescriptionDTO local = scr.getComponentDescriptionDTO(engine, "org.edgeha.gs.engine.local-network");
        assertTrue("the local network component is declared", local != null && !local.defaultEnabled);
        assertFalse("the local network is enabled although gs.mqtt offers a transport", scr.isComponentEnabled(local));
        String transports = Await.until(DEADLINE_MS, () -> {
            org.osgi.framework.ServiceReference<?>[] refs;
            try {
                refs = context.getServiceReferences("org.edgeha.gs.spi.GsTransport", null);
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            String owners = refs == null ? "none" : Arrays.stream(refs).map(r -> r.getBundle().getSymbolicName())
                    .sorted().collect(Collectors.joining(","));
            return owners.equals("org.edgeha.gs.mqtt") ? null : owners;
        });
        assertNull("the transports registered: " + transports, transports);
    }
}
