package org.edgeha.itests;

import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.util.Hashtable;

import javax.inject.Inject;

import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GsWhiteboard;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Group Services in a real Felix: a whiteboard provider joins its group and leaves with its service. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class GroupServicesIT {

    @Inject
    private BundleContext context;

    @Inject
    private GroupServices gs;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base()};
    }

    @Inject
    private org.osgi.service.cm.ConfigurationAdmin cm;

    @Test
    public void aProviderInAFreshlyInstalledBundleJoinsAndUninstallingRemovesIt() throws Exception {
        org.osgi.framework.Bundle bundle = TestBundles.install(context, "test.provider.pumps",
                org.edgeha.itests.providers.TestProviderActivator.class,
                "org.edgeha.gs.api;version=\"[1.0,2)\",org.osgi.framework", java.util.Map.of("X-Group", "pumps"),
                java.util.List.of(org.edgeha.itests.providers.ApprovingProvider.class));
        String problem = Await.until(Duration.ofSeconds(15).toMillis(), () -> {
            var view = gs.group("pumps");
            return view.isEmpty() ? "no group pumps yet"
                    : view.get().members().size() == 1 ? null : "members " + view.get().members();
        });
        assertNull(problem, problem);

        bundle.uninstall();
        problem = Await.until(Duration.ofSeconds(15).toMillis(), () -> {
            var view = gs.group("pumps");
            return view.isEmpty() || view.get().members().isEmpty() ? null : "members " + view.get().members();
        });
        assertNull(problem, problem);
    }

    @Test
    public void aWhiteboardProviderJoinsItsGroupAndLeavesWithItsService() throws Exception {
        if (Boolean.getBoolean("gs.debug")) {
            Hashtable<String, Object> log = new Hashtable<>();
            log.put("file.level", "DEBUG");
            cm.getConfiguration("org.edgeha.gateway.log", "?").update(log);
            Thread.sleep(500);
        }
        GroupProvider provider = new org.edgeha.itests.providers.ApprovingProvider();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(GsWhiteboard.GROUP_NAME, "line1");
        properties.put(GsWhiteboard.INSTANCE, 1);
        ServiceRegistration<GroupProvider> registration = context.registerService(GroupProvider.class, provider, properties);
        // Not Optional.map(v -> ok ? null : problem).orElse(..): a null from map() makes the present group look absent.
        String problem = Await.until(Duration.ofSeconds(15).toMillis(), () -> {
            java.util.Optional<org.edgeha.gs.api.GroupView> v = gs.group("line1");
            return v.isEmpty() ? "no group line1 yet" : v.get().members().size() == 1 ? null : "members " + v.get().members();
        });
        assertNull(problem, problem);

        registration.unregister();
        problem = Await.until(Duration.ofSeconds(15).toMillis(), () -> gs.group("line1")
                .map(v -> v.members().isEmpty() ? null : "members " + v.members()).orElse(null));
        assertNull(problem, problem);
    }
}
