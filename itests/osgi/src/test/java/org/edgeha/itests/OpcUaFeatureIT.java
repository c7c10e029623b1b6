package org.edgeha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.HaConnections;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The industrial stack in a real Felix: {@code features/opcua.json} (Eclipse Milo's client and its dependencies)
 * and {@code features/opcua-example.json} installed at run time from the gateway's repository folder, the example's
 * whiteboard recovery function registered, and a monitored variable configured against a real Milo server (started
 * outside the framework, {@link ExamOpcUaServer}) that the test stops and starts again: the session is recovered by
 * the whiteboard function and the example reads and is subscribed again. SLF4J 1.7's API and its simple provider
 * are provisioned as test-only bundles, standing in for the logging feature.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpcUaFeatureIT {

    private static final long DEADLINE_MS = 30_000;
    private static final String EXAMPLE_BSN = "org.edgeha.examples.opcua";
    private static final String VARIABLE_FACTORY_PID = "org.edgeha.examples.opcua.variable";

    @Inject
    private BundleContext context;

    @Inject
    private FeatureManager features;

    @Inject
    private HaConnections ha;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private LogReaderService logReader;

    @Configuration
    public Option[] config() throws Exception {
        ExamOpcUaServer.start();
        return new Option[] {
            EdgeHaOptions.base(),
            // test-only: what the logging feature will provide (Milo imports org.slf4j in [1.7,2))
            mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
            mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject() // exports org.slf4j.impl to slf4j.api
        };
    }

    @After
    public void removeWhatATestLeft() throws Exception {
        var configurations = configAdmin.listConfigurations("(service.factoryPid=" + VARIABLE_FACTORY_PID + ")");
        if (configurations != null) {
            for (var c : configurations) {
                c.delete();
            }
        }
        for (InstalledFeature f : features.list()) {
            features.remove(f.id());
        }
    }

    @Test
    public void theOpcUaFeaturesResolveAndTheExampleRecoversASessionThroughTheWhiteboard() throws Exception {
        InstalledFeature stack = features.install(feature("opcua.json"));
        for (String bsn : List.of("org.eclipse.milo.sdk-client", "org.eclipse.milo.stack-core", "io.netty.handler",
                "bcprov", "com.google.guava", "org.edgeha.wrap.digitalpetri")) {
            assertEquals(bsn + " active", Bundle.ACTIVE, bundle(bsn).map(Bundle::getState).orElse(-1).intValue());
        }
        assertEquals(stack.toString(), 20, stack.ownedBundles().size());
        features.install(feature("opcua-example.json"));
        Bundle example = bundle(EXAMPLE_BSN).orElseThrow();
        assertEquals(Bundle.ACTIVE, example.getState());
        String problem = Await.until(DEADLINE_MS, () -> ha.recoveryFunctions().stream()
                .anyMatch(l -> l.contains("example-opcua-reconnect")) ? null : "not registered: " + ha.recoveryFunctions());
        assertNull(problem, problem);

        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        LogListener listener = entry -> lines.add(message(entry));
        logReader.addLogListener(listener);
        try {
            Consumer<String> server = server();
            server.accept("set 11");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("connection.name", "opc-it");
            properties.put("endpoint", System.getProperty(ExamOpcUaServer.ENDPOINT_PROPERTY));
            properties.put("node.id", "ns=2;s=Line1/Counter");
            properties.put("read.interval.ms", 200L);
            properties.put("publishing.interval.ms", 50L);
            configAdmin.createFactoryConfiguration(VARIABLE_FACTORY_PID, "?").update(properties);

            problem = Await.until(DEADLINE_MS, () -> logged(lines, "subscription to ns=2;s=Line1/Counter delivers"));
            assertNull(problem, problem);
            ConnectionInfo info = connection("opc-it").orElseThrow();
            assertEquals("opcua", info.kind());
            assertTrue(info.recoveryFunction(), info.recoveryFunction().contains("example-opcua-reconnect"));

            long stopped = System.nanoTime();
            server.accept("stop");
            Thread.sleep(1000);
            server.accept("restart");
            server.accept("set 77");
            problem = Await.until(DEADLINE_MS, () -> connection("opc-it").map(c -> c.recoveriesSucceeded() >= 1)
                    .orElse(false) ? null : "not recovered: " + connection("opc-it") + " " + lines);
            assertNull(problem, problem);
            problem = Await.until(DEADLINE_MS, () -> logged(lines, "ns=2;s=Line1/Counter = 77"));
            assertNull(problem, problem);
            assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.contains("re-established")
                    && l.contains("1 subscription(s) made again")));
            System.out.printf("OPC UA in Felix: session opc-it recovered by the whiteboard function in %d ms; value "
                    + "77 read %d ms after the server was stopped (1 s down)%n",
                    connection("opc-it").orElseThrow().lastRecoveryMillis(), (System.nanoTime() - stopped) / 1_000_000);

            var configurations = configAdmin.listConfigurations("(service.factoryPid=" + VARIABLE_FACTORY_PID + ")");
            configurations[0].delete();
            problem = Await.until(DEADLINE_MS, () -> connection("opc-it").isEmpty() ? null : "still open");
            assertNull("deleting the configuration closes the session", problem);
        } finally {
            logReader.removeLogListener(listener);
        }
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String> server() {
        return (Consumer<String>) System.getProperties().get(ExamOpcUaServer.CONTROL_PROPERTY);
    }

    private Optional<ConnectionInfo> connection(String name) {
        return ha.find(name).flatMap(ha::info);
    }

    private static String logged(List<String> lines, String fragment) {
        return lines.stream().anyMatch(l -> l.contains(fragment)) ? null : "no log line with '" + fragment + "': " + lines;
    }

    private static String message(LogEntry entry) {
        return entry.getLogLevel() + " " + entry.getMessage();
    }

    private Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    /**
     * @return the project's feature file, with every bundle it lists put into the gateway's repository folder
     *     (EdgeHA's from this build, the others from the local Maven repository)
     */
    private Path feature(String file) throws IOException {
        Path feature = Path.of(System.getProperty("edgeha.itest.features"), file);
        Matcher m = Pattern.compile("\"id\": \"([^\":]+):([^\":]+):([^\":]+)\"").matcher(Files.readString(feature));
        List<String> copied = new ArrayList<>();
        while (m.find()) {
            String group = m.group(1);
            String artifact = m.group(2);
            String version = m.group(3);
            if (group.equals("org.edgeha") && (artifact.equals("opcua") || artifact.equals("opcua-example"))) {
                continue; // the feature's own id
            }
            Path source = group.equals("org.edgeha")
                    ? Path.of(System.getProperty("edgeha.itest.opcua.jar." + artifact))
                    : Path.of(System.getProperty("org.ops4j.pax.url.mvn.localRepository")).resolve(group.replace('.', '/'))
                            .resolve(artifact).resolve(version).resolve(artifact + "-" + version + ".jar");
            Path target = Path.of(context.getProperty("edgeha.home")).resolve("repository")
                    .resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                    .resolve(artifact + "-" + version + ".jar");
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            copied.add(artifact);
        }
        assertTrue(file + ": " + copied, !copied.isEmpty());
        return feature;
    }
}
