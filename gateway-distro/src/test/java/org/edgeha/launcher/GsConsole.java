package org.edgeha.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Runs one command at a gateway's console and returns exactly its output: the command is followed by
 * {@code echo <marker>}, and Gogo runs the lines of one console in order, so the command's output is what comes
 * before the marker. Prompts ({@code g! }) and log lines are left out. Not for two threads on one console.
 */
final class GsConsole {

    private static final AtomicLong MARKERS = new AtomicLong();
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");

    private GsConsole() {
    }

    /** The output lines of {@code command}, or empty when the console gave no answer within {@code timeout}. */
    static Optional<List<String>> run(GatewayProcess g, String command, long timeout, TimeUnit unit)
            throws Exception {
        String marker = "END-OF-COMMAND-" + MARKERS.incrementAndGet();
        int before = g.lineCount();
        g.command(command);
        g.command("echo " + marker);
        if (g.awaitLineAfter(before, l -> strip(l).equals(marker), timeout, unit).isEmpty()) {
            return Optional.empty();
        }
        String[] lines = g.output().split("\\R", -1);
        List<String> out = new ArrayList<>();
        for (int i = before; i < lines.length; i++) {
            String l = strip(lines[i]);
            if (l.equals(marker)) {
                break;
            }
            if (!LOG_LINE.matcher(l).matches() && !l.isEmpty()) {
                out.add(l);
            }
        }
        return Optional.of(out);
    }

    private static String strip(String line) {
        String l = line;
        while (l.startsWith("g! ")) {
            l = l.substring(3);
        }
        return l.strip();
    }

    /** What {@code gs:view <group>} shows; {@code seq} is -1 when the gateway does not know the group. */
    record GsView(int node, long seq, String members, String state, String running, String coordinator,
            List<String> events, List<String> raw) {

        static GsView parse(int node, List<String> lines) {
            long seq = -1;
            String members = null;
            String state = null;
            String coordinator = null;
            String running = null;
            List<String> events = new ArrayList<>();
            boolean inEvents = false;
            for (String l : lines) {
                if (inEvents) {
                    events.add(l);
                } else if (l.startsWith("seq ")) {
                    seq = Long.parseLong(l.substring(4).strip());
                } else if (l.startsWith("members ")) {
                    members = l.substring(8).strip();
                } else if (l.startsWith("state ")) {
                    state = l.substring(6).strip();
                } else if (l.startsWith("running ")) {
                    running = l.substring(8).strip();
                } else if (l.startsWith("coordinator ")) {
                    coordinator = l.substring(12).strip();
                } else if (l.equals("shell events:")) {
                    inEvents = true;
                }
            }
            return new GsView(node, seq, members, state, running, coordinator, List.copyOf(events), List.copyOf(lines));
        }

        /** seq, members and state: what every gateway must agree on. */
        String agreed() {
            return "seq " + seq + ", members " + members + ", state " + state;
        }
    }

    /** {@code gs:view <group>} at {@code node}, parsed; fails when the console does not answer in 10 s. */
    static GsView view(GatewayGroup group, int node, String name) throws Exception {
        List<String> lines = run(group.gateway(node), "gs:view " + name, 10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("gateway " + node + " did not answer gs:view " + name));
        return GsView.parse(node, lines);
    }
}
