package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 15, "Described commands", on a real gateway: {@code help <scope>:<name>} describes every EdgeHA command,
 * each of its parameters and an example, and a wrong or missing argument answers with the command's usage, never
 * with Gogo's "Cannot coerce ... to any of" exception. No broker is needed for either.
 */
public class CommandHelpIT {

    /** Every EdgeHA command: the words its help must name (parameters, options). */
    private static final Map<String, List<String>> PARAMETERS = new LinkedHashMap<>();
    /** Every EdgeHA command: forms with wrong or missing arguments. */
    private static final Map<String, List<String>> WRONG = new LinkedHashMap<>();

    static {
        command("edgeha:info", List.of(), "edgeha:info now");
        command("ha:list", List.of(), "ha:list all");
        command("ha:connect", List.of("<name>", "<host:port>"), "ha:connect", "ha:connect plc1",
                "ha:connect plc1 127.0.0.1:1 extra");
        command("ha:send", List.of("<coid|name>", "<text>"), "ha:send", "ha:send plc1");
        command("ha:detach", List.of("<coid|name>"), "ha:detach", "ha:detach 1 2");
        command("ha:close", List.of("<coid|name>"), "ha:close");
        command("ha:ctrl", List.of("<coid|name>", "<command>", "<limit>"), "ha:ctrl", "ha:ctrl 1", "ha:ctrl 1 icount");
        command("ha:functions", List.of(), "ha:functions all");
        command("mqtt:status", List.of(), "mqtt:status default");
        command("mqtt:publish", List.of("<topic>", "<text>"), "mqtt:publish", "mqtt:publish a/b");
        command("gs:groups", List.of(), "gs:groups all");
        command("gs:view", List.of("<group>"), "gs:view");
        command("gs:join", List.of("<group>", "<state>"), "gs:join");
        command("gs:state", List.of("<group>", "<value>", "--phases"), "gs:state", "gs:state line1",
                "gs:state line1 filling --phases two", "gs:state line1 filling --phases 0");
        command("gs:send", List.of("<group>", "<text>"), "gs:send", "gs:send line1");
        command("gs:leave", List.of("<group>"), "gs:leave");
        command("gs:subscribe", List.of("<group>"), "gs:subscribe");
        command("gs:unsubscribe", List.of("<group>"), "gs:unsubscribe");
        command("gs:goodbye", List.of("<group>"), "gs:goodbye");
        command("gs:expel", List.of("<group>", "<node/instance>"), "gs:expel", "gs:expel line1");
        command("gs:attributes", List.of("<group>", "<name=value>"), "gs:attributes", "gs:attributes line1");
        command("feature:list", List.of(), "feature:list all");
        command("config:list", List.of("<text>"), "config:list a b");
        command("config:get", List.of("<pid>"), "config:get");
        command("config:set", List.of("<pid>", "<key>", "<value>"), "config:set", "config:set org.edgeha.mqtt keepalive.s");
        command("config:delete", List.of("<pid>", "<key>"), "config:delete");
        command("feature:info", List.of("<id>"), "feature:info");
        command("feature:install", List.of("<file|groupId:artifactId:version|name>"), "feature:install");
        command("feature:remove", List.of("<id>"), "feature:remove");
        command("log:set", List.of("<level>", "<logger or bundle>"), "log:set", "log:set LOUD", "log:set DEBUG a b");
        command("log:get", List.of("<logger or bundle>"), "log:get a b");
        command("log:tail", List.of("-f", "<lines>"), "log:tail many", "log:tail 0");
    }

    private static void command(String name, List<String> parameters, String... wrong) {
        PARAMETERS.put(name, parameters);
        WRONG.put(name, List.of(wrong));
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private int marks;

    @Test
    public void everyCommandIsDescribedAndAnswersAWrongFormWithItsUsage() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=1", "--edgeha.console=true", "--edgeha.broker=tcp://127.0.0.1:1")) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : PARAMETERS.entrySet()) {
                String command = e.getKey();
                String function = command.substring(command.indexOf(':') + 1);
                String help = answer(gateway, "help " + command);
                if (!help.contains(function + " - ")) {
                    problems.add("help " + command + " has no description:\n" + help);
                }
                if (!help.contains("Example: " + command)) {
                    problems.add("help " + command + " has no example:\n" + help);
                }
                for (String parameter : e.getValue()) {
                    if (!help.contains(parameter)) {
                        problems.add("help " + command + " does not name " + parameter + ":\n" + help);
                    }
                }
                for (String wrong : WRONG.get(command)) {
                    String answer = answer(gateway, wrong);
                    if (!answer.contains("usage: " + command)) {
                        problems.add(wrong + " printed no usage:\n" + answer);
                    }
                    if (answer.contains("Cannot coerce") || answer.contains("Exception") || answer.contains("\tat ")
                            || answer.lines().count() > 3) {
                        problems.add(wrong + " printed more than a usage:\n" + answer);
                    }
                }
            }
            assertTrue(String.join("\n\n", problems), problems.isEmpty());
            // the successful forms still answer as before
            assertTrue(answer(gateway, "edgeha:info"), answer(gateway, "edgeha:info").contains("node      1"));
            String state = answer(gateway, "gs:state line1 filling --phases 2");
            assertTrue(state, state.contains("the shell has no provider in line1"));
            gateway.command("stop 0");
            assertEquals(gateway.output(), Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }

    /** Runs a console command, then an {@code echo} mark, and returns the lines printed in between. */
    private String answer(GatewayProcess gateway, String command) throws Exception {
        String mark = "END-OF-ANSWER-" + (++marks);
        int before = gateway.lineCount();
        gateway.command(command);
        gateway.command("echo " + mark);
        gateway.awaitLineAfter(before, line -> line.endsWith(mark), 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError(command + ": no answer\n" + gateway.output()));
        List<String> lines = gateway.output().lines().skip(before).toList();
        List<String> answer = new ArrayList<>();
        for (String line : lines) {
            if (line.endsWith(mark)) {
                break;
            }
            answer.add(line);
        }
        assertFalse(command + " printed nothing", answer.isEmpty() && !command.startsWith("help"));
        return String.join("\n", answer);
    }
}
