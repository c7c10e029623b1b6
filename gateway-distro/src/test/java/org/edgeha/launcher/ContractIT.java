package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The MQTT contract (docs/mqtt-api.md, docs/asyncapi.yaml) as outside systems meet it: while three gateway processes
 * join groups, change state, answer a management request and are killed one by one, two outside clients subscribe
 * to everything EdgeHA publishes for other systems ({@code edgeha/default/#} and the reply topic): Mosquitto's
 * {@code mosquitto_sub -V mqttv311} and an MQTT 5 client from npm ({@code mqtt}, installed by {@code npm ci} from
 * the committed lock file). Every live and retained message must match a channel of docs/asyncapi.yaml and validate
 * against its JSON Schema (ajv, in the client), and carry content type {@code application/json} and payload format
 * UTF-8; gateway 1 runs the health feature, so its retained health message ({@code nodeHealth}) is among them. When
 * every gateway of a group is gone, its retained view ends marked stale by the surviving gateway; when
 * every gateway is gone, the retained view's publisher status says offline for the view's incarnation.
 *
 * <p>The broker enforces docs/mosquitto.acl, the contract's ACL: one user per gateway, the operator ({@code ops},
 * who sends a management request and reads the reply) and the readers ({@code scada}, one filter, never a request).
 */
public class ContractIT {

    private static final String REPLIES = "ops/replies/contract";
    private static final String ALL = "edgeha/default/#";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(300);

    private BrokerFixture broker;
    private GatewayGroup group;
    private Path client;
    private final List<Process> processes = new ArrayList<>();

    @Before
    public void setUp() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        for (String tool : List.of("mosquitto_sub", "mosquitto_pub", "mosquitto_passwd", "node", "npm")) {
            boolean present = onPath(tool);
            if (ci) {
                assertTrue(tool + " is missing (.ci/run installs mosquitto-clients, nodejs and npm)", present);
            }
            Assume.assumeTrue(tool + " is not installed: ContractIT needs it", present);
        }
        Assume.assumeFalse("the embedded broker fallback has no acl_file: install mosquitto",
                !ci && BrokerFixture.selectedKind() == BrokerFixture.Kind.EMBEDDED);
        client = installClient();
        Path conf = tmp.newFolder("broker").toPath();
        Path passwords = conf.resolve("passwords");
        List<String> users = new ArrayList<>(List.of("ops", "scada"));
        for (int node = 1; node <= 3; node++) {
            users.add("gateway-" + node);
        }
        for (int i = 0; i < users.size(); i++) {
            List<String> command = new ArrayList<>(List.of("mosquitto_passwd", "-b"));
            if (i == 0) {
                command.add("-c");
            }
            command.addAll(List.of(passwords.toString(), users.get(i), password(users.get(i))));
            run(command.toArray(new String[0]));
        }
        Path acl = conf.resolve("acl");
        Files.writeString(acl, aclFor("default", 3));
        broker = BrokerFixture.builder().configLine("allow_anonymous false").configLine("password_file " + passwords)
                .configLine("acl_file " + acl).start();
        group = new GatewayGroup(tmp.getRoot().toPath(), 4, 1).watch(broker.uri(), o -> {
            o.setUserName("scada");
            o.setPassword(password("scada").getBytes(StandardCharsets.UTF_8));
        });
        for (int node = 1; node <= 3; node++) {
            group.mqttConfig(node, "username=gateway-" + node + "\n.password=" + password("gateway-" + node) + "\n");
        }
    }

    /** A password per user, made up for this run. */
    private final java.util.Map<String, String> passwords = new java.util.HashMap<>();

    private String password(String user) {
        return passwords.computeIfAbsent(user, u -> u + "-" + Long.toHexString(new java.security.SecureRandom().nextLong()));
    }

    /**
     * docs/mosquitto.acl for {@code domain}, its gateway block (written for gateway 3) repeated for gateways 1 to n.
     */
    static String aclFor(String domain, int gateways) throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("edgeha.asyncapi")).resolveSibling("mosquitto.acl"))
                .replace("/plant/", "/" + domain + "/");
        int start = doc.indexOf("user gateway-3\n");
        int end = doc.indexOf("\n\n", start);
        assertTrue("docs/mosquitto.acl has a block for gateway 3", start >= 0 && end > start);
        String block = doc.substring(start, end + 1);
        StringBuilder acl = new StringBuilder(doc.substring(0, start));
        for (int node = 1; node <= gateways; node++) {
            acl.append(block.replaceAll("(?<=gateway-|/)3(?=\n|/)", Integer.toString(node))).append('\n');
        }
        return acl.append(doc.substring(end + 1)).toString();
    }

    @After
    public void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (group != null) {
            group.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void everyMessageForOtherSystemsMatchesTheContractAndAViewWithNoGatewayLeftEndsStale() throws Exception {
        // the readers (SCADA: the one filter) and the operator (the replies), each through both outside clients
        Path mqttJsOut = tmp.getRoot().toPath().resolve("mqttjs-scada.jsonl");
        Process mqttJs = mqttJs(mqttJsOut, "scada", ALL);
        Path mqttJsOpsOut = tmp.getRoot().toPath().resolve("mqttjs-ops.jsonl");
        Process mqttJsOps = mqttJs(mqttJsOpsOut, "ops", REPLIES);
        Path liveOut = tmp.getRoot().toPath().resolve("mosquitto-scada.txt");
        Process live = start(liveOut, mosquittoSub("scada", "-q", "1", "-t", ALL));
        Path liveOpsOut = tmp.getRoot().toPath().resolve("mosquitto-ops.txt");
        Process liveOps = start(liveOpsOut, mosquittoSub("ops", "-q", "1", "-t", REPLIES));

        for (int node = 1; node <= 3; node++) {
            group.start(node, broker.uri());
        }
        for (int node = 1; node <= 3; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:join line1", "joining line1").isPresent());
        }
        for (int node = 2; node <= 3; node++) {
            assertTrue(group.outputs(), group.ask(node, "gs:join cell", "joining cell").isPresent());
        }
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2, 3)), 30, TimeUnit.SECONDS);
        group.awaitView("cell", v -> v.nodes().equals(List.of(2, 3)), 30, TimeUnit.SECONDS);
        assertTrue(group.outputs(), group.ask(2, "gs:state line1 filling --phases 2", "proposed filling").isPresent());
        group.awaitView("line1", v -> "filling".equals(v.state()), 20, TimeUnit.SECONDS);

        // gateway 1 with the health feature: its retained edgeha/default/node/1/health (nodeHealth) is read too
        assertTrue(group.outputs(), group.ask(1, "feature:install logging", "installed org.edgeha:logging:").isPresent());
        assertTrue(group.outputs(), group.ask(1, "feature:install health", "installed org.edgeha:health:").isPresent());
        awaitLine(mqttJsOut, l -> l.contains("\"channel\":\"nodeHealth\""), mqttJs);

        // an unsigned management request: refused, and the refusal is replied (a ManageReply)
        run("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-u", "ops",
                "-P", password("ops"), "-q", "1", "-t", "edgeha/default/manage/1/request", "-n",
                "-D", "publish", "response-topic", REPLIES, "-D", "publish", "correlation-data", "contract-1");
        awaitLine(mqttJsOpsOut, l -> l.contains("\"channel\":\"manageReply\""), mqttJsOps);

        List<JsonObject> retainedMidway = retainedNow();
        assertTrue("retained statuses and views: " + retainedMidway, retainedMidway.stream()
                .filter(r -> r.getString("channel", "").equals("nodeStatus")).count() >= 3);
        assertTrue("the retained health of gateway 1: " + retainedMidway, retainedMidway.stream()
                .anyMatch(r -> r.getString("topic").equals("edgeha/default/node/1/health")
                        && r.getString("channel", "").equals("nodeHealth")));

        group.kill(3);
        group.awaitView("line1", v -> v.nodes().equals(List.of(1, 2)), 30, TimeUnit.SECONDS);
        group.awaitView("cell", v -> v.nodes().equals(List.of(2)), 30, TimeUnit.SECONDS);

        // the last gateway of group cell goes: gateway 1 (no member of it) marks its view stale
        group.kill(2);
        group.awaitView("line1", v -> v.nodes().equals(List.of(1)), 30, TimeUnit.SECONDS);
        String stale = awaitRawView("cell", j -> j.contains("\"stale\":true"), 30);
        JsonObject cell = json(stale);
        assertEquals(List.of(2), GatewayGroup.View.parse(stale).nodes());
        assertEquals(2, cell.getInt("publisher"));
        assertEquals(1, cell.getInt("markedBy"));

        // every gateway gone: nobody can mark line1; its publisher's retained status says offline for the view's incarnation
        group.kill(1);
        List<JsonObject> retainedAtEnd = awaitRetained(all -> statusOf(all, 1).map(s -> s.getString("state"))
                .filter("offline"::equals).isPresent());
        JsonObject line1 = viewOf(retainedAtEnd, "line1").orElseThrow();
        assertFalse(line1.getBoolean("stale"));
        assertEquals(1, line1.getInt("publisher"));
        assertEquals(line1.getJsonNumber("publisherIncarnation").longValue(),
                statusOf(retainedAtEnd, 1).orElseThrow().getJsonNumber("incarnation").longValue());
        assertTrue(viewOf(retainedAtEnd, "cell").orElseThrow().getBoolean("stale"));

        for (Process p : List.of(mqttJs, mqttJsOps, live, liveOps)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<JsonObject> viaMqttJs = new ArrayList<>(records(mqttJsOut));
        List<JsonObject> viaMosquittoSub = new ArrayList<>(check(liveOut));
        assertTrue("the readers never get an operator's request: " + viaMqttJs + viaMosquittoSub,
                java.util.stream.Stream.concat(viaMqttJs.stream(), viaMosquittoSub.stream())
                        .noneMatch(r -> r.getString("channel", "").equals("manageRequest")));
        viaMqttJs.addAll(records(mqttJsOpsOut));
        viaMosquittoSub.addAll(check(liveOpsOut));

        List<JsonObject> everything = new ArrayList<>(viaMqttJs);
        everything.addAll(viaMosquittoSub);
        everything.addAll(retainedMidway);
        everything.addAll(retainedAtEnd);
        for (JsonObject r : everything) {
            assertTrue("not per contract: " + r, r.getBoolean("valid"));
        }
        for (JsonObject r : viaMqttJs) {
            assertEquals("content type: " + r, "application/json", r.getString("contentType", null));
            assertTrue("payload format indicator UTF-8: " + r, r.getBoolean("utf8", false));
        }
        for (String channel : List.of("nodeStatus", "groupView", "manageReply", "nodeHealth")) {
            assertTrue(channel + " seen by mqtt.js", viaMqttJs.stream().anyMatch(r -> r.getString("channel", "").equals(channel)));
            assertTrue(channel + " seen by mosquitto_sub",
                    viaMosquittoSub.stream().anyMatch(r -> r.getString("channel", "").equals(channel)));
        }
        assertTrue("the stale view reached mosquitto_sub", viaMosquittoSub.stream()
                .anyMatch(r -> r.getString("topic").endsWith("/cell/view") && r.getString("payload").contains("\"stale\":true")));
        assertTrue("retained messages validated", retainedAtEnd.stream().allMatch(r -> r.getBoolean("retained")));
        System.out.println("ContractIT: " + viaMqttJs.size() + " messages via mqtt.js, " + viaMosquittoSub.size()
                + " via mosquitto_sub, " + (retainedMidway.size() + retainedAtEnd.size())
                + " retained ones, all per docs/asyncapi.yaml");
    }

    /** The view of {@code group} the fixture's observer saw last, raw, once it matches. */
    private String awaitRawView(String name, Predicate<String> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String j = group.view(name).orElse(null);
            if (j != null && match.test(j)) {
                return j;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("view of " + name + " never matched; last " + group.view(name) + "\n" + group.outputs());
    }

    /** What a reader that subscribes now gets: the retained messages, through mosquitto_sub (MQTT 3.1.1), checked. */
    private List<JsonObject> retainedNow() throws Exception {
        Path out = tmp.newFile().toPath();
        Process p = start(out, mosquittoSub("scada", "-t", ALL, "--retained-only", "-W", "2"));
        p.waitFor(20, TimeUnit.SECONDS);
        return check(out);
    }

    private List<JsonObject> awaitRetained(Predicate<List<JsonObject>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonObject> last = List.of();
        while (System.nanoTime() < deadline) {
            last = retainedNow();
            if (done.test(last)) {
                return last;
            }
        }
        throw new AssertionError("retained messages never matched: " + last);
    }

    private static java.util.Optional<JsonObject> statusOf(List<JsonObject> records, int node) {
        return records.stream().filter(r -> r.getString("topic").equals("edgeha/default/node/" + node + "/status"))
                .map(r -> json(r.getString("payload"))).reduce((a, b) -> b);
    }

    private static java.util.Optional<JsonObject> viewOf(List<JsonObject> records, String name) {
        return records.stream().filter(r -> r.getString("topic").equals("edgeha/default/group/" + name + "/view"))
                .map(r -> json(r.getString("payload"))).reduce((a, b) -> b);
    }

    /** mosquitto_sub's lines, checked against the contract by the client's {@code check} mode. */
    private List<JsonObject> check(Path mosquittoSubOutput) throws Exception {
        Path out = tmp.newFile().toPath();
        Process p = start(out, "node", client.resolve("contract-client.mjs").toString(), "check", asyncapi(), REPLIES,
                mosquittoSubOutput.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("contract-client check: " + Files.readString(out), 0, p.exitValue());
        return records(out);
    }

    private static List<JsonObject> records(Path file) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("{\"client\"")) {
                records.add(json(line));
            }
        }
        return records;
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new java.io.StringReader(text))) {
            return reader.readObject();
        }
    }

    /** mosquitto_sub as an MQTT 3.1.1 client of {@code user}, one {@code retained topic payload} line a message. */
    private String[] mosquittoSub(String user, String... more) {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv311", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port()), "-u", user, "-P", password(user), "-F", "%r %t %p"));
        command.addAll(List.of(more));
        return command.toArray(new String[0]);
    }

    /** The npm MQTT 5 client as {@code user}, subscribed to {@code filter}; returns once subscribed. */
    private Process mqttJs(Path output, String user, String filter) throws Exception {
        ProcessBuilder b = new ProcessBuilder("node", client.resolve("contract-client.mjs").toString(), "subscribe",
                asyncapi(), "mqtt://127.0.0.1:" + broker.port(), REPLIES, filter).redirectOutput(output.toFile())
                .redirectError(output.resolveSibling(output.getFileName() + ".err").toFile());
        b.environment().put("MQTT_USERNAME", user);
        b.environment().put("MQTT_PASSWORD", password(user));
        Process p = b.start();
        processes.add(p);
        awaitLine(output, l -> l.contains("\"ready\":true"), p);
        return p;
    }

    private Process start(Path output, String... command) throws IOException {
        // standard error apart: mosquitto_sub -W says "Timed out" there
        Process p = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(output.resolveSibling(output.getFileName() + ".err").toFile()).start();
        processes.add(p);
        return p;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " did not end", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
    }

    private static void awaitLine(Path file, Predicate<String> match, Process writer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(match)) {
                return;
            }
            if (!writer.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never seen in " + file + ":\n" + (Files.exists(file) ? Files.readString(file) : ""));
    }

    private static String asyncapi() {
        return Path.of(System.getProperty("edgeha.asyncapi")).toAbsolutePath().normalize().toString();
    }

    /**
     * The client and its exact dependencies: {@code npm ci} from the committed package-lock.json (versions and
     * integrity hashes) into {@code target/contract-client}, again whenever the lock file changed.
     */
    private static Path installClient() throws Exception {
        Path source = Path.of(System.getProperty("edgeha.contract.client"));
        Path work = Path.of(System.getProperty("edgeha.contract.work"));
        Files.createDirectories(work);
        boolean lockChanged = !Files.exists(work.resolve("package-lock.json"))
                || Files.mismatch(source.resolve("package-lock.json"), work.resolve("package-lock.json")) != -1;
        for (String f : List.of("package.json", "package-lock.json", "contract-client.mjs")) {
            Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isDirectory(work.resolve("node_modules"))) {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(work.toFile())
                    .redirectErrorStream(true).start();
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
