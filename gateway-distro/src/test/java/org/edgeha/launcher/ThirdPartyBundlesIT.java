package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bundles nobody here wrote, on a real gateway process (issue 16): with the logging feature installed by name from the
 * distro's repository ({@code feature:install logging}), the Apache Felix Web Console on Felix HTTP Jetty and what
 * they need (a feature file dropped into deploy/) all start; their log lines (Jetty's through SLF4J, Felix HTTP's
 * through the OSGi log) are in {@code data/log/edgeha0.log} at the level configured for them, and none reaches the
 * console at the default console level; Paho's java.util.logging lines do not flood anything. {@code log:set} takes
 * effect at once on a third-party logger and on EdgeHA's own, and the level sits in ConfigAdmin under PID
 * {@code org.edgeha.gateway.log}.
 */
public class ThirdPartyBundlesIT {

    private static final long TIMEOUT_S = 60;
    /** The bundles the test feature lists: Maven coordinates and the jar the build resolved (failsafe properties). */
    private static final String[][] WEB_CONSOLE = {
        {"org.apache.felix", "org.apache.felix.webconsole", "5.0.18", "edgeha.webconsole.jar"},
        {"org.apache.felix", "org.apache.felix.http.jetty", "5.2.2", "edgeha.http.jetty.jar"},
        {"org.apache.felix", "org.apache.felix.http.servlet-api", "3.0.0", "edgeha.servlet.api.jar"},
        {"org.apache.felix", "org.apache.felix.inventory", "2.0.0", "edgeha.inventory.jar"},
        {"org.owasp.encoder", "encoder", "1.3.1", "edgeha.owasp.encoder.jar"},
        {"commons-fileupload", "commons-fileupload", "1.6.0", "edgeha.commons.fileupload.jar"},
        {"commons-io", "commons-io", "2.20.0", "edgeha.commons.io.jar"},
    };
    private static final String[] WEB_CONSOLE_NAMES = {"Apache Felix Web Management Console", "Apache Felix Http Jetty",
        "Apache Felix Servlet API", "Apache Felix Inventory", "Java Encoder", "Apache Commons FileUpload",
        "Apache Commons IO", "OPS4J Pax Logging - API", "EdgeHA logging for third-party code"};
    /** A log line as the gateway writes it: time, level, [bundle]. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+Z (TRACE|DEBUG|INFO |WARN |ERROR) \\[(\\S+)\\] .*");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static GatewayProcess start(Path home, String domain) throws Exception {
        // The real broker: the MQTT link (Paho inside, logging through java.util.logging) is busy meanwhile
        GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.node=1", "--edgeha.domain=" + domain);
        assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S, TimeUnit.SECONDS)
                .isPresent());
        return gateway;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The web console's bundles in the home's repository, and a feature naming them, bound to 127.0.0.1:port. */
    private static String webConsoleFeature(Path home, int port) throws IOException {
        List<String> bundles = new ArrayList<>();
        for (String[] b : WEB_CONSOLE) {
            Path jar = home.resolve("repository").resolve(b[0].replace('.', '/')).resolve(b[1]).resolve(b[2])
                    .resolve(b[1] + "-" + b[2] + ".jar");
            Files.createDirectories(jar.getParent());
            Files.copy(Path.of(System.getProperty(b[3])), jar);
            bundles.add("{\"id\": \"" + b[0] + ":" + b[1] + ":" + b[2] + "\"}");
        }
        return "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha.test:webconsole-deps:1.0.0\","
                + " \"bundles\": [" + String.join(", ", bundles) + "],"
                + " \"configurations\": {\"org.apache.felix.http\": {\"org.apache.felix.http.host\": \"127.0.0.1\","
                + " \"org.osgi.service.http.port:Integer\": " + port + "}}}";
    }

    private static int get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
        try {
            c.getInputStream().readAllBytes();
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static List<String> logFile(Path home) throws IOException {
        return Files.readAllLines(home.resolve("data/log/edgeha0.log"), StandardCharsets.UTF_8);
    }

    private static long count(List<String> lines, String level, String bundle) {
        return lines.stream().filter(l -> l.contains(" " + level) && l.contains("[" + bundle + "] ")).count();
    }

    /** Waits until the file exists and holds the text. */
    private static boolean awaitText(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Waits until the file has a line with the text. */
    private static boolean awaitInFile(Path home, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (logFile(home).stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Test
    public void theWebConsoleOnJettyRunsWithTheLoggingFeatureAndLogsToTheFileOnlyAtItsLevel() throws Exception {
        Path home = tmp.newFolder("g").toPath();
        int port = freePort();
        String feature = webConsoleFeature(home, port);
        try (GatewayProcess gateway = start(home, "thirdparty" + ProcessHandle.current().pid())) {
            int consoleFrom = gateway.lineCount();
            assertTrue("installed by name from the distro's repository; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:install logging", "installed org.edgeha:logging:").isPresent());
            // Felix HTTP's own lines (OSGi log) and Jetty's (SLF4J) come from the Jetty bundle: INFO for it
            assertTrue(gateway.output(), gateway.awaitAnswer("log:set INFO org.apache.felix.http.jetty",
                    "log level of org.apache.felix.http.jetty set to INFO").isPresent());
            Files.writeString(home.resolve("deploy/webconsole-deps.json"), feature);
            for (String name : WEB_CONSOLE_NAMES) {
                assertTrue(name + " active; output:\n" + gateway.output(),
                        gateway.awaitAnswer("lb", "|Active     |    1|" + name).isPresent());
            }
            assertEquals("the web console answers on 127.0.0.1", 200, get(port, "/system/console/bundles"));
            assertTrue("Jetty's start lines in the file at INFO", awaitInFile(home, "INFO  [org.apache.felix.http.jetty] "));
            Thread.sleep(10_000); // the MQTT link and Jetty go on logging meanwhile (Paho: 436 debug lines a minute once)
            List<String> file = logFile(home);
            assertEquals("no debug line of Jetty in the file at INFO", 0, count(file, "DEBUG", "org.apache.felix.http.jetty"));
            assertEquals("no debug line at all in the file at the default levels", 0,
                    file.stream().filter(l -> l.contains(" DEBUG [")).count());
            // (the framework's own events about its bundle, BundleEvent STARTED and the like, are the runtime's lines)
            assertEquals("the web console (WARN, the third-party default) has nothing to say", List.of(), file.stream()
                    .filter(l -> l.contains("[org.apache.felix.webconsole] ") && !l.matches(".*\\] (Bundle|Service|Framework)Event .*"))
                    .toList());

            String output = gateway.output();
            List<String> console = output.lines().skip(consoleFrom).toList();
            List<String> thirdPartyOnConsole = console.stream().filter(l -> LOG_LINE.matcher(l).matches()
                    && !LOG_LINE.matcher(l).replaceFirst("$2").startsWith("org.edgeha")).toList();
            assertEquals("no third-party log line on the console; output:\n" + output, List.of(), thirdPartyOnConsole);
            assertFalse("nothing of Paho, Jetty or Pax Logging printed to the console; output:\n" + output,
                    console.stream().anyMatch(l -> l.toLowerCase().matches(".*(paho|org\\.eclipse\\.jetty|pax).*")
                            && !l.contains("installed org.edgeha:logging") && !l.contains("|")));
            assertEquals("no log line below WARN on the console; output:\n" + output, List.of(), console.stream()
                    .filter(l -> LOG_LINE.matcher(l).matches() && l.matches(".*Z (TRACE|DEBUG|INFO) .*")).toList());

            // log:set takes effect at once on a third-party logger, and is undone as fast
            assertTrue(gateway.awaitAnswer("log:set DEBUG org.eclipse.jetty", "set to DEBUG").isPresent());
            assertTrue(gateway.awaitAnswer("log:get org.eclipse.jetty.server.Server",
                    "org.eclipse.jetty.server.Server: DEBUG (set for org.eclipse.jetty)").isPresent());
            assertEquals(200, get(port, "/system/console/bundles"));
            assertTrue("Jetty's debug lines in the file", awaitInFile(home, "DEBUG [org.apache.felix.http.jetty] "));
            assertTrue(gateway.awaitAnswer("log:set DEFAULT org.eclipse.jetty", "removed").isPresent());
            Thread.sleep(1000); // what Jetty's threads had begun
            long debugLines = count(logFile(home), "DEBUG", "org.apache.felix.http.jetty");
            assertEquals(200, get(port, "/system/console/bundles"));
            Thread.sleep(1000);
            assertEquals("no more debug lines once the level is removed", debugLines,
                    count(logFile(home), "DEBUG", "org.apache.felix.http.jetty"));
            assertFalse("debug lines never on the console", gateway.output().contains("DEBUG [org.apache.felix.http.jetty]"));
        }
    }

    @Test
    public void logSetTakesEffectAtOnceOnEdgeHasOwnLoggersAndSitsInConfigAdmin() throws Exception {
        Path home = tmp.newFolder("g").toPath();
        try (GatewayProcess gateway = start(home, "logset" + ProcessHandle.current().pid())) {
            String removed = "DEBUG [org.edgeha.features] deploy/notes-1.txt removed (it was ignored)";
            assertTrue(gateway.awaitAnswer("log:set DEBUG org.edgeha.features",
                    "log level of org.edgeha.features set to DEBUG (PID org.edgeha.gateway.log)").isPresent());
            assertTrue("in ConfigAdmin under the PID; output:\n" + gateway.output(),
                    gateway.awaitAnswer("log:get", "org.edgeha.features").filter(l -> l.contains("DEBUG")).isPresent());
            assertTrue("written back to etc/ (ConfigWriteBack), so that it outlives a restart",
                    awaitText(home.resolve("etc/org.edgeha.gateway.log.cfg"), "level.org.edgeha.features"));
            ignoredFileComesAndGoes(gateway, home, "notes-1.txt");
            assertTrue("the debug line is in the file", awaitInFile(home, removed));
            assertFalse("and not on the console (WARN)", gateway.output().contains(removed));

            assertTrue(gateway.awaitAnswer("log:set DEFAULT org.edgeha.features", "removed").isPresent());
            assertTrue(gateway.awaitAnswer("log:get org.edgeha.features", "org.edgeha.features: INFO (no level of its own")
                    .isPresent());
            ignoredFileComesAndGoes(gateway, home, "notes-2.txt");
            Thread.sleep(2000);
            assertFalse("no debug line once the level is removed",
                    logFile(home).stream().anyMatch(l -> l.contains("deploy/notes-2.txt removed")));

            assertTrue(gateway.awaitAnswer("log:tail 3", "[org.edgeha.features] deploy/notes-2.txt ignored").isPresent());
            // log:tail -f follows the file until Enter: the next warning shows twice (console, and the tail)
            gateway.command("log:tail -f 1");
            Thread.sleep(1000);
            int before = gateway.lineCount();
            Files.writeString(home.resolve("deploy/notes-3.txt"), "not a bundle");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (gateway.output().lines().skip(before).filter(l -> l.contains("deploy/notes-3.txt ignored")).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("on the console and followed by log:tail -f; output:\n" + gateway.output(), 2,
                    gateway.output().lines().skip(before).filter(l -> l.contains("deploy/notes-3.txt ignored")).count());
            gateway.command(""); // Enter ends the following
            assertTrue("the shell takes commands again; output:\n" + gateway.output(),
                    gateway.awaitAnswer("log:get org.edgeha", "org.edgeha: INFO").isPresent());
            assertTrue(gateway.awaitAnswer("log:set LOUD", "usage: log:set").isPresent());
        }
    }

    @Test
    public void aFeatureNeedingSlf4jIsRefusedWithTheFeatureThatProvidesItNamed() throws Exception {
        Path home = tmp.newFolder("g").toPath();
        TestBundleJars.write(home.resolve("repository/org/edgeha/test/test.needs.slf4j/1.0.0/test.needs.slf4j-1.0.0.jar"),
                "test.needs.slf4j", "org.slf4j;version=\"[1.7,2)\"");
        Path feature = home.resolve("needs-slf4j.json");
        Files.writeString(feature, "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha.test:needs-slf4j:1.0.0\","
                + " \"bundles\": [{\"id\": \"org.edgeha.test:test.needs.slf4j:1.0.0\"}]}");
        try (GatewayProcess gateway = start(home, "hint" + ProcessHandle.current().pid())) {
            int before = gateway.lineCount();
            gateway.command("feature:install " + feature);
            String refused = gateway.awaitLineAfter(before, l -> l.contains("feature:install:"), 30, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError(gateway.output()));
            assertTrue(refused, refused.contains("refused, nothing changed") && refused.contains("org.slf4j")
                    && refused.contains("feature 'logging' (org.edgeha:logging:") && refused.contains("provides org.slf4j:"
                    + " feature:install logging"));
            assertTrue(gateway.awaitAnswer("feature:install logging", "installed org.edgeha:logging:").isPresent());
            assertTrue("with the logging feature it installs; output:\n" + gateway.output(),
                    gateway.awaitAnswer("feature:install " + feature, "installed org.edgeha.test:needs-slf4j:1.0.0").isPresent());
        }
    }

    /** A file in deploy/ that is no bundle: ignored with a warning; deleting it logs a debug line. */
    private static void ignoredFileComesAndGoes(GatewayProcess gateway, Path home, String name) throws Exception {
        Path file = home.resolve("deploy").resolve(name);
        int before = gateway.lineCount();
        Files.writeString(file, "not a bundle");
        assertTrue(gateway.output(), gateway.awaitLineAfter(before, l -> l.contains("deploy/" + name + " ignored"),
                TIMEOUT_S, TimeUnit.SECONDS).isPresent());
        Files.delete(file);
    }
}
