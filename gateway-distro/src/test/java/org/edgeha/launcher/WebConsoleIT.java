package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The web console feature on a real gateway process, seen through a real headless browser (issue 15): a stock
 * gateway installs {@code logging}, {@code http} (on a free port, kept by a small feature of the test's own) and
 * {@code webconsole} from the distro's repository ({@code webconsole} before {@code http} is refused, naming it); the stock password admin/admin is warned about on the console and on the pages;
 * {@code webconsole:password} replaces it (the old one is refused, the new one stored hashed in {@code etc/}). Debian's
 * chromium, driven by Playwright ({@code src/test/browser}, installed with {@code npm ci} from its lock file), logs in,
 * sees on the groups page the group the shell joined with its member, joins it and proposes a state value as the web
 * client, has a cross-site post refused, suspends and resumes the recovery of a connection opened from the shell,
 * reads the MQTT link and features pages, and saves a screenshot of each page under {@code target/screenshots/}.
 *
 * <p>Skipped when chromium, node or npm is missing, except under {@code CI=true} (where {@code .ci/run} installs them).
 */
public class WebConsoleIT {

    private static final long TIMEOUT_S = 60;
    private static final String PASSWORD = "edgeha test password";
    private static final String GROUP = "line1";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String STOCK_WARNING = "WARN  [org.edgeha.webconsole] The web console accepts the stock"
            + " password admin/admin";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private ServerSocket plc;
    private final List<Socket> accepted = new ArrayList<>();

    @Before
    public void tools() {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean chromium = Files.isExecutable(Path.of(CHROMIUM));
        if (ci) {
            assertTrue(CHROMIUM + " is missing (.ci/run installs chromium)", chromium);
        }
        Assume.assumeTrue(CHROMIUM + " is not installed: WebConsoleIT needs it", chromium);
        for (String tool : List.of("node", "npm")) {
            boolean present = onPath(tool);
            if (ci) {
                assertTrue(tool + " is missing (.ci/run installs nodejs and npm)", present);
            }
            Assume.assumeTrue(tool + " is not installed: WebConsoleIT needs it", present);
        }
    }

    @After
    public void closeSockets() throws IOException {
        for (Socket s : accepted) {
            s.close();
        }
        if (plc != null) {
            plc.close();
        }
    }

    @Test
    public void theEdgeHaPagesWorkInAHeadlessBrowser() throws Exception {
        Path browser = installBrowserClient();
        Path home = tmp.newFolder("g").toPath();
        int port = freePort();
        plc = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-plc");
        acceptor.setDaemon(true);
        acceptor.start();
        String node = "1";
        String domain = "web" + ProcessHandle.current().pid();
        // The port as a feature of its own, installed after http: the http feature's configuration (port 8181) is
        // pushed again whenever the gateway starts, and features are installed again in the order they were first
        Path portFeature = tmp.newFile("http-port.json").toPath();
        Files.writeString(portFeature, "{\"feature-resource-version\": \"1.0\", \"id\": \"org.edgeha.test:http-port:1.0.0\","
                + " \"bundles\": [], \"configurations\": {\"org.apache.felix.http\": {\"org.apache.felix.http.host\":"
                + " \"127.0.0.1\", \"org.osgi.service.http.port:Integer\": " + port + ", \"org.apache.felix.http.enable:Boolean\":"
                + " true}}}");
        try (GatewayProcess gateway = start(home, node, domain)) {
            once(gateway, "feature:install logging", "installed org.edgeha:logging:");
            once(gateway, "feature:install webconsole", "refused, nothing changed");
            assertTrue("without http, the refusal names the feature to install first; output:\n" + gateway.output(),
                    gateway.output().lines().anyMatch(l -> l.contains("org.edgeha:webconsole") && l.contains("refused")
                            && l.contains("jakarta.servlet") && l.endsWith("feature:install http")));
            once(gateway, "feature:install http", "installed org.edgeha:http:");
            once(gateway, "feature:install " + portFeature, "installed org.edgeha.test:http-port:1.0.0");
            int before = gateway.lineCount();
            once(gateway, "feature:install webconsole", "installed org.edgeha:webconsole:");
            assertTrue("the stock password is warned about on the console; output:\n" + gateway.output(),
                    gateway.awaitLineAfter(before, l -> l.contains(STOCK_WARNING) && l.contains("webconsole:password"),
                            TIMEOUT_S, TimeUnit.SECONDS).isPresent());
            String stockPage = awaitPage(port, "admin", "admin", "/system/console/edgeha-groups");
            assertTrue("the pages show the warning too:\n" + stockPage, stockPage.contains("id='edgeha-default-password'"));
            once(gateway, "help webconsole:password", "Sets the web console's password");
            once(gateway, "webconsole:password", "usage: webconsole:password <new password>");
            once(gateway, "webconsole:password a b", "usage: webconsole:password <new password>");
            stop(gateway);
        }
        try (GatewayProcess gateway = start(home, node, domain)) {
            assertTrue("warned about again at the next start; output:\n" + gateway.output(),
                    gateway.awaitLine(l -> l.contains(STOCK_WARNING), TIMEOUT_S, TimeUnit.SECONDS).isPresent());
            awaitPage(port, "admin", "admin", "/system/console/edgeha-groups");
            once(gateway, "gs:join " + GROUP + " filling", "joining " + GROUP + " as " + node + "/9999, then proposing filling: member at seq");
            once(gateway, "ha:connect plc1 127.0.0.1:" + plc.getLocalPort(), "(plc1) to 127.0.0.1:" + plc.getLocalPort());
            once(gateway, "webconsole:password 'short'", "refused: the password must have at least 8 characters");
            once(gateway, "webconsole:password '" + PASSWORD + "'", "web console password set (stored hashed");
            // (the console re-registers itself with the new configuration: 404 for a moment)
            assertEquals("the stock password no longer works", 401, awaitStatus(port, "admin", "admin", 401));
            awaitPage(port, "admin", PASSWORD, "/system/console/edgeha-groups");
            String cfg = Files.readString(home.resolve("etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg"));
            assertTrue(cfg, cfg.contains("password = {sha-256}") && !cfg.contains(PASSWORD));
            assertEquals("a post from outside the console's pages (no Origin, no token) is refused", 403,
                    status(port, "admin", PASSWORD, "POST", "/system/console/edgeha-groups?action=leave&group=" + GROUP,
                            Map.of()));

            Path screenshots = Path.of(System.getProperty("edgeha.screenshots"));
            Files.createDirectories(screenshots);
            List<String> out = runBrowser(browser, Map.of("EDGEHA_URL", "http://127.0.0.1:" + port, "EDGEHA_USER", "admin",
                    "EDGEHA_PASSWORD", PASSWORD, "EDGEHA_GROUP", GROUP, "EDGEHA_MEMBER", node + "/9999",
                    "EDGEHA_WEB_MEMBER", node + "/9998", "EDGEHA_CONNECTION", "plc1",
                    "EDGEHA_SCREENSHOTS", screenshots.toString(), "EDGEHA_PROFILE", tmp.newFolder("profile").toString()));
            String browserLog = String.join("\n", out);
            assertFalse("the browser's checks:\n" + browserLog + "\ngateway:\n" + gateway.output(),
                    out.stream().anyMatch(l -> l.startsWith("FAILED")));
            for (String page : List.of("groups", "connections", "mqtt", "features")) {
                Path png = screenshots.resolve("web-" + page + ".png");
                assertTrue(png + " saved; browser:\n" + browserLog, Files.size(png) > 1000);
            }
            assertTrue("the shell sees the state the browser proposed; output:\n" + gateway.output(),
                    gateway.awaitAnswer("gs:view " + GROUP, "\"running\"").isPresent());
            assertTrue(gateway.awaitAnswer("gs:view " + GROUP, l -> l.contains("members") && l.contains(node + "/9998"))
                    .isPresent());
            assertFalse("no error of the web console; output:\n" + gateway.output(),
                    gateway.output().contains("ERROR [org.edgeha.webconsole]"));
            stop(gateway);
        }
        try (GatewayProcess gateway = start(home, node, domain)) {
            // once the EdgeHA pages answer with the new password, the password check of this start has run
            awaitPage(port, "admin", PASSWORD, "/system/console/edgeha-groups");
            assertFalse("no warning once a password is set; output:\n" + gateway.output(),
                    gateway.output().contains(STOCK_WARNING));
            assertEquals(401, status(port, "admin", "admin", "GET", "/system/console/edgeha-groups", Map.of()));
            stop(gateway);
        }
    }

    private static GatewayProcess start(Path home, String node, String domain) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.console=true", "--edgeha.node=" + node, "--edgeha.domain=" + domain);
        assertTrue(gateway.output(), gateway.awaitLine(l -> l.contains("EdgeHA gateway ready"), TIMEOUT_S,
                TimeUnit.SECONDS).isPresent());
        return gateway;
    }

    private static void stop(GatewayProcess gateway) throws Exception {
        gateway.command("stop 0");
        assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
    }

    /** Types a command once and waits for a line of its answer with the text. */
    private static void once(GatewayProcess gateway, String command, String text) throws Exception {
        int before = gateway.lineCount();
        gateway.command(command);
        assertTrue(command + " answers '" + text + "'; output:\n" + gateway.output(),
                gateway.awaitLineAfter(before, l -> l.contains(text), TIMEOUT_S, TimeUnit.SECONDS).isPresent());
    }

    private void accept() {
        try {
            while (!plc.isClosed()) {
                Socket s = plc.accept();
                synchronized (accepted) {
                    accepted.add(s);
                }
            }
        } catch (IOException e) {
            // closed at the end of the test
        }
    }

    /** GETs the page until it answers 200 (Jetty moves to the configured port, the console registers its pages). */
    private static String awaitPage(int port, String user, String password, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = connection(port, user, password, "GET", path);
                try {
                    if (c.getResponseCode() == 200) {
                        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    }
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no page at " + path + " on port " + port, last);
    }

    /** GETs the groups page until the status is {@code expected}; returns the last status. */
    private static int awaitStatus(int port, String user, String password, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        int last = -1;
        while (System.nanoTime() < deadline && last != expected) {
            try {
                last = status(port, user, password, "GET", "/system/console/edgeha-groups", Map.of());
            } catch (IOException e) {
                last = -1;
            }
            if (last != expected) {
                Thread.sleep(300);
            }
        }
        return last;
    }

    private static int status(int port, String user, String password, String method, String path,
            Map<String, String> headers) throws IOException {
        HttpURLConnection c = connection(port, user, password, method, path);
        headers.forEach(c::setRequestProperty);
        try {
            if (method.equals("POST")) {
                c.setDoOutput(true);
                try (OutputStream o = c.getOutputStream()) {
                    o.write(new byte[0]);
                }
            }
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static HttpURLConnection connection(int port, String user, String password, String method, String path)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(5000);
        c.setReadTimeout(15000);
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> runBrowser(Path client, Map<String, String> env) throws Exception {
        ProcessBuilder b = new ProcessBuilder("node", client.resolve("browser-check.mjs").toString())
                .directory(client.toFile()).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(l -> {
                    synchronized (lines) {
                        lines.add(l);
                    }
                });
            } catch (IOException e) {
                // the process ended
            }
        }, "browser-output");
        reader.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        reader.join(5000);
        synchronized (lines) {
            assertTrue("the browser check did not end in 180 s:\n" + String.join("\n", lines), ended);
            assertEquals("the browser check:\n" + String.join("\n", lines), 0, p.exitValue());
            return new ArrayList<>(lines);
        }
    }

    /**
     * Playwright's core library and the check script: {@code npm ci} from the committed package-lock.json (versions and
     * integrity hashes) into {@code target/browser-client}, again whenever the lock file changed. No browser is
     * downloaded: the script drives {@code /usr/bin/chromium}.
     */
    private static Path installBrowserClient() throws Exception {
        Path source = Path.of(System.getProperty("edgeha.browser.client"));
        Path work = Path.of(System.getProperty("edgeha.browser.work"));
        Files.createDirectories(work);
        boolean lockChanged = !Files.exists(work.resolve("package-lock.json"))
                || Files.mismatch(source.resolve("package-lock.json"), work.resolve("package-lock.json")) != -1;
        for (String f : List.of("package.json", "package-lock.json", "browser-check.mjs")) {
            Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isDirectory(work.resolve("node_modules"))) {
            ProcessBuilder b = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(work.toFile())
                    .redirectErrorStream(true);
            b.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            Process p = b.start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(l -> out.append(l).append('\n'));
            }
            assertTrue("npm ci did not end", p.waitFor(300, TimeUnit.SECONDS));
            assertEquals("npm ci in " + work + ":\n" + out, 0, p.exitValue());
        }
        return work;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
