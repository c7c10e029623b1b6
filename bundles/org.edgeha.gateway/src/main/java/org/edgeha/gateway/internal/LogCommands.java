package org.edgeha.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.edgeha.logging.levels.LogLevels;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgeha.gateway.api.Gateway;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogLevel;

/**
 * Gogo commands in the {@code log:} scope: levels per logger or bundle, kept in ConfigAdmin under PID
 * {@code org.edgeha.gateway.log} ({@code file.level} for the root, {@code level.<name>} for a logger or bundle), and
 * the log file's last lines. {@link LogFile} applies a changed level (and the logging feature's bundle for
 * third-party loggers) as soon as ConfigAdmin delivers it, within milliseconds. Each command carries Gogo's
 * {@code @Descriptor}; wrong arguments reach a {@code String...} overload that prints the usage.
 */
@Component(service = LogCommands.class, property = {
        "osgi.command.scope=log",
        "osgi.command.function=set",
        "osgi.command.function=get",
        "osgi.command.function=tail"
})
public class LogCommands {

    static final String SET_USAGE = "usage: log:set <ERROR|WARN|INFO|DEBUG|TRACE|DEFAULT> [<logger or bundle>]"
            + "   e.g. log:set DEBUG org.eclipse.jetty";
    static final String GET_USAGE = "usage: log:get [<logger or bundle>]   e.g. log:get org.eclipse.jetty.server.Server";
    static final String TAIL_USAGE = "usage: log:tail [-f] [<lines>]   e.g. log:tail -f 50";
    private static final String AS_TYPED = "the arguments as typed";
    private static final String SESSION = "the shell session (given by Gogo)";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String FILE_LEVEL = "file.level";
    private static final String CONSOLE_LEVEL = "console.level";
    static final int TAIL_DEFAULT = 20;

    private final Gateway gateway;
    private final ConfigurationAdmin configurations;

    @Activate
    public LogCommands(@Reference Gateway gateway, @Reference ConfigurationAdmin configurations) {
        this.gateway = gateway;
        this.configurations = configurations;
    }

    @Descriptor("Sets the root log level (file.level: EdgeHA's and the runtime's loggers), at once and kept in"
            + " ConfigAdmin (PID org.edgeha.gateway.log). Example: log:set DEBUG")
    public String set(@Descriptor("<level> ERROR, WARN, INFO, DEBUG or TRACE; DEFAULT: back to INFO") String level) {
        return change(level, null);
    }

    @Descriptor("Sets the level of a logger (and the loggers below it: org.eclipse.jetty holds for"
            + " org.eclipse.jetty.server too) or of every logger of a bundle, at once and kept in ConfigAdmin (PID"
            + " org.edgeha.gateway.log, level.<name>); a level of its own lets a logger's lines into the file below"
            + " file.level, and keeps them off the console below it. Example: log:set DEBUG org.eclipse.jetty")
    public String set(@Descriptor("<level> ERROR, WARN, INFO, DEBUG or TRACE; DEFAULT: removes the logger's own level")
            String level, @Descriptor("<logger or bundle> a logger name or a bundle's symbolic name") String name) {
        return change(level, name);
    }

    @Descriptor(WRONG)
    public String set(@Descriptor(AS_TYPED) String... wrong) {
        return SET_USAGE;
    }

    @Descriptor("Lists the levels: the root (file.level), the console's, and every logger or bundle with a level of"
            + " its own. Example: log:get")
    public String get() {
        Map<String, Object> p = properties();
        List<String> lines = new ArrayList<>();
        lines.add(row("root (" + FILE_LEVEL + ")", String.valueOf(p.getOrDefault(FILE_LEVEL, "INFO"))));
        lines.add(row("console (" + CONSOLE_LEVEL + ")", String.valueOf(p.getOrDefault(CONSOLE_LEVEL, "WARN"))));
        LogLevels.of(p).asMap().forEach((name, level) -> lines.add(row(name, level.name())));
        lines.add("Third-party loggers (the logging feature) without a level of their own: WARN");
        return String.join(System.lineSeparator(), lines);
    }

    @Descriptor("Shows the level a logger writes from, and where it comes from. Example: log:get org.eclipse.jetty.server.Server")
    public String get(@Descriptor("<logger or bundle> a logger name or a bundle's symbolic name") String name) {
        Map<String, Object> p = properties();
        LogLevels levels = LogLevels.of(p);
        LogLevel own = levels.explicit(name, name);
        if (own != null) {
            String from = levels.asMap().entrySet().stream().filter(e -> e.getValue() == own
                    && (name.equals(e.getKey()) || name.startsWith(e.getKey() + "."))).map(Map.Entry::getKey)
                    .reduce((a, b) -> a.length() >= b.length() ? a : b).orElse(name);
            return name + ": " + own + (from.equals(name) ? " (set for it)" : " (set for " + from + ")");
        }
        return name + ": " + p.getOrDefault(FILE_LEVEL, "INFO") + " (no level of its own: the root level, "
                + FILE_LEVEL + "; a third-party logger of the logging feature: WARN)";
    }

    @Descriptor(WRONG)
    public String get(@Descriptor(AS_TYPED) String... wrong) {
        return GET_USAGE;
    }

    @Descriptor("Prints the last 20 lines of data/log/edgeha0.log; with -f keeps printing new lines until Enter is"
            + " pressed or the command is interrupted. Example: log:tail -f")
    public String tail(@Descriptor(SESSION) CommandSession session,
            @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false")
            @Descriptor("follow: print lines as they are written, until Enter") boolean follow) throws IOException {
        return tail(session, follow, TAIL_DEFAULT);
    }

    @Descriptor("Prints the last lines of data/log/edgeha0.log; with -f keeps printing new lines until Enter is"
            + " pressed or the command is interrupted. Example: log:tail 50")
    public String tail(@Descriptor(SESSION) CommandSession session,
            @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false")
            @Descriptor("follow: print lines as they are written, until Enter") boolean follow,
            @Descriptor("<lines> how many of the last lines, 1 or more") int lines) throws IOException {
        if (lines < 1) {
            return TAIL_USAGE;
        }
        Path folder = gateway.settings().data().resolve("log");
        List<String> last = lastLines(folder, lines);
        if (!follow) {
            return String.join(System.lineSeparator(), last);
        }
        PrintStream out = System.out; // the session's output, as Gogo runs the command
        last.forEach(out::println);
        out.flush();
        // The shell's own input (System.in is Gogo's per-thread stream here, which never says that input is waiting)
        InputStream in = session == null ? System.in : session.getKeyboard();
        follow(folder.resolve("edgeha0.log"), out, () -> Thread.currentThread().isInterrupted() || enter(in));
        return null;
    }

    @Descriptor(WRONG)
    public String tail(@Descriptor(AS_TYPED) String... wrong) {
        return TAIL_USAGE;
    }

    private String change(String level, String name) {
        String upper = level.trim().toUpperCase(Locale.ROOT);
        boolean reset = "DEFAULT".equals(upper);
        if (!reset && LogLevels.parse(upper) == null || name != null && (name.isBlank() || !name.equals(name.strip())
                || name.contains("="))) {
            return SET_USAGE;
        }
        String key = name == null ? FILE_LEVEL : LogLevels.PREFIX + name;
        try {
            // "?": every bundle may read it (the logging feature's bundle reads the levels too)
            Configuration c = configurations.getConfiguration(LogFile.PID, "?");
            Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            if (reset) {
                p.remove(key);
            } else {
                p.put(key, upper);
            }
            c.update(p);
        } catch (IOException | IllegalStateException e) {
            return "log:set: cannot change " + LogFile.PID + ": " + e.getMessage();
        }
        String who = name == null ? "root (" + FILE_LEVEL + ")" : name;
        return reset ? "log level of " + who + " removed: " + (name == null ? "INFO" : "it follows its parent again")
                + " (PID " + LogFile.PID + ")" : "log level of " + who + " set to " + upper + " (PID " + LogFile.PID + ")";
    }

    private Map<String, Object> properties() {
        Map<String, Object> map = new TreeMap<>();
        try {
            Configuration[] found = configurations.listConfigurations("(service.pid=" + LogFile.PID + ")");
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                Dictionary<String, Object> p = found[0].getProperties();
                for (var keys = p.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    map.put(k, p.get(k));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            // none readable: the defaults
        }
        return map;
    }

    private static String row(String name, String level) {
        return String.format("%-40s %s", name, level);
    }

    /** @return the last lines of the log, taking from the rotated edgeha1.log when edgeha0.log has fewer */
    static List<String> lastLines(Path folder, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int generation = 0; generation < 2 && lines.size() < count; generation++) {
            Path file = folder.resolve("edgeha" + generation + ".log");
            if (Files.isRegularFile(file)) {
                List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.addAll(0, all.subList(Math.max(0, all.size() - (count - lines.size())), all.size()));
            }
        }
        return lines;
    }

    /**
     * Prints what is appended to the file until {@code stop} says so, looking every 200 ms; after a rotation (the
     * file shorter than what was read) it starts again at the new file's beginning.
     */
    static void follow(Path file, PrintStream out, BooleanSupplier stop) throws IOException {
        long position = Files.isRegularFile(file) ? Files.size(file) : 0;
        while (!stop.getAsBoolean()) {
            long size = Files.isRegularFile(file) ? Files.size(file) : 0;
            if (size < position) {
                position = 0;
            }
            if (size > position) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                    f.seek(position);
                    byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
                    f.readFully(bytes);
                    out.print(new String(bytes, StandardCharsets.UTF_8));
                    out.flush();
                    position += bytes.length;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return whether a line was typed (it is read, so the shell does not run it) */
    private static boolean enter(InputStream in) {
        try {
            if (in.available() > 0) {
                while (in.available() > 0 && in.read() != '\n') {
                    // the rest of the line
                }
                return true;
            }
        } catch (IOException e) {
            return true;
        }
        return false;
    }
}
