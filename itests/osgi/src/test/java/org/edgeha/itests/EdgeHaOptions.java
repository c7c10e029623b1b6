package org.edgeha.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * The one Pax Exam configuration every EdgeHA integration test starts from: the EdgeHA bundles of
 * this build plus SCR, ConfigAdmin, metatype, the OSGi log service, Gogo and the Feature Service, in a clean Felix with its
 * own {@code edgeha.home}.
 */
public final class EdgeHaOptions {

    private EdgeHaOptions() {
    }

    /**
     * @return the base configuration, with a broker that is never there (Group Services then runs for this
     *     gateway alone, after the transport's start-up grace); add test-specific options after it
     */
    public static Option base() {
        return base("tcp://127.0.0.1:1", 1);
    }

    /**
     * @param broker the gateway's {@code edgeha.broker}
     * @param node the gateway's {@code edgeha.node}
     */
    public static Option base(String broker, int node) {
        return base(broker, node, true);
    }

    /**
     * @return the base configuration without Gogo (runtime, shell, command): the command bundles import Gogo's
     *     package optionally and must resolve without it (issue 15)
     */
    public static Option baseWithoutGogo() {
        return base("tcp://127.0.0.1:1", 1, false);
    }

    private static Option base(String broker, int node, boolean gogo) {
        return composite(
                frameworkProperty("edgeha.broker").value(broker),
                frameworkProperty("edgeha.node").value(Integer.toString(node)),
                cleanCaches(),
                junitBundles(),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
                systemProperty("org.ops4j.pax.url.mvn.repositories")
                        .value("https://repo1.maven.org/maven2@id=central"),
                frameworkProperty("edgeha.home").value(gatewayHome().toString()),
                frameworkProperty("gosh.args").value("--nointeractive"),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject(),
                gogo ? composite(
                        mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                        mavenBundle("org.apache.felix", "org.apache.felix.gogo.shell").versionAsInProject(),
                        mavenBundle("org.apache.felix", "org.apache.felix.gogo.command").versionAsInProject())
                        : composite(),
                // the Feature Service, for org.edgeha.features (jakarta.json alone: API and implementation in one)
                mavenBundle("org.osgi", "org.osgi.service.feature").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.converter").versionAsInProject(),
                mavenBundle("org.glassfish", "jakarta.json").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.cm.json").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.feature").versionAsInProject(),
                composite(edgehaBundles()));
    }

    /** @return every bundle of this build, copied by the pom to {@code target/edgeha-bundles} */
    static Option[] edgehaBundles() {
        Path folder = Path.of(required("edgeha.itest.bundles"));
        List<Option> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(folder)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .forEach(jar -> bundles.add(bundle(jar.toUri().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the EdgeHA bundles in " + folder, e);
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("no EdgeHA bundle in " + folder);
        }
        return bundles.toArray(new Option[0]);
    }

    /** @return a fresh gateway home for one test JVM */
    static Path gatewayHome() {
        try {
            Path work = Path.of(required("edgeha.itest.work"));
            Files.createDirectories(work);
            return Files.createTempDirectory(work, "home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through failsafe)");
        }
        return value;
    }
}
