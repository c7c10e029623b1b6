package org.edgeha.gateway.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.edgeha.logging.levels.LogLevels;
import org.edgeha.gateway.api.Gateway;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Where the gateway's log goes: every OSGi log entry at or above {@code file.level} is written to
 * {@code ${edgeha.home}/data/log/edgeha0.log} (rotated by size, {@link RotatingLog}; the folder and files are
 * owner-only), and entries at or above {@code console.level} also to standard error.
 *
 * <p>Per-logger levels ({@code level.<logger or bundle symbolic name> = LEVEL} in the same PID, set by {@code log:set})
 * go to the OSGi LoggerAdmin, so that a logger below its level makes no entry at all, and decide here too: an entry
 * of a logger with a level of its own is written to the file from that level (a {@code DEBUG} logger's debug lines
 * reach the file while {@code file.level} stays {@code INFO}), and to the console only from the higher of the two.
 */
@Component(immediate = true, service = {}, configurationPid = LogFile.PID)
@Designate(ocd = LogFile.Config.class)
public class LogFile implements LogListener {

    static final String PID = "org.edgeha.gateway.log";

    @ObjectClassDefinition(name = "EdgeHA log",
            description = "Where log entries go: a rotated file under data/log and the console.")
    @interface Config {
        @AttributeDefinition(name = "File level", description = "Lowest level written to data/log/edgeha0.log",
                options = {@Option(value = "ERROR"), @Option(value = "WARN"), @Option(value = "INFO"),
                        @Option(value = "DEBUG"), @Option(value = "TRACE")})
        String file_level() default "INFO";

        @AttributeDefinition(name = "Console level", description = "Lowest level also printed to standard error",
                options = {@Option(value = "ERROR"), @Option(value = "WARN"), @Option(value = "INFO"),
                        @Option(value = "DEBUG"), @Option(value = "TRACE")})
        String console_level() default "WARN";

        @AttributeDefinition(name = "File size (KiB)", description = "Size at which the file is rotated", min = "16")
        int file_size_kib() default 1024;

        @AttributeDefinition(name = "Files kept", description = "Number of rotated files kept", min = "1")
        int file_count() default 3;
    }

    private final LogReaderService reader;
    private final LoggerAdmin loggerAdmin;
    private final Path folder;
    private volatile RotatingLog file;
    private volatile LogLevel fileLevel;
    private volatile LogLevel consoleLevel;
    private volatile LogLevels levels = LogLevels.NONE;
    /** The names whose bundle logger contexts we set, to clear them when their level is removed. */
    private final java.util.Set<String> bundleContexts = new java.util.HashSet<>();
    private final Path sequenceMarker;
    /** Entries up to this sequence were written by this bundle before a refresh (read from the marker). */
    private final long writtenBefore;
    /** The history's entries written at activation; a live delivery of one of them is a duplicate. */
    private final java.util.Set<Long> fromHistory = new java.util.HashSet<>();
    private long lastSequence;
    /** The framework, whose state tells a clean stop from the rest of the gateway's life. */
    private final Bundle systemBundle;

    @Activate
    public LogFile(BundleContext context, @Reference Gateway gateway, @Reference LogReaderService reader,
            @Reference LoggerAdmin loggerAdmin, Config config, Map<String, Object> properties) throws IOException {
        this.reader = reader;
        this.systemBundle = context.getBundle(0);
        // The last entry written, kept in the bundle's data area across a refresh of this bundle (the
        // log service's sequence numbers and the framework cache both start afresh with the JVM).
        this.sequenceMarker = context.getDataFile("last-log-sequence").toPath();
        this.writtenBefore = readSequence(sequenceMarker);
        this.lastSequence = writtenBefore;
        this.loggerAdmin = loggerAdmin;
        this.folder = gateway.settings().data().resolve("log");
        try {
            OwnerOnly.directories(folder);
        } catch (IOException e) { // a folder of another user that we may write: log anyway
            Files.createDirectories(folder);
            System.err.println("EdgeHA log: " + folder + " cannot be made owner-only (rwx------): " + e);
        }
        apply(config, properties);
        synchronized (this) {
            // Entries logged before we listened are still in the log service's history (newest first):
            // write them, in order, before any live entry; the monitor holds live entries back meanwhile.
            reader.addLogListener(this);
            List<LogEntry> history = Collections.list(reader.getLog());
            Collections.reverse(history);
            for (LogEntry entry : history) {
                if (entry.getSequence() > writtenBefore && fromHistory.add(entry.getSequence())) {
                    write(entry);
                }
            }
        }
    }

    @Modified
    synchronized void apply(Config config, Map<String, Object> properties) throws IOException {
        fileLevel = level(config.file_level(), LogLevel.INFO);
        consoleLevel = level(config.console_level(), LogLevel.WARN);
        LogLevel lowest = fileLevel.ordinal() > consoleLevel.ordinal() ? fileLevel : consoleLevel;
        LogLevels now = LogLevels.of(properties);
        // Loggers below the root's level are filtered before they reach us: open the root up to what we write.
        var root = loggerAdmin.getLoggerContext(null);
        // Service events are one line per (un)registration: keep them out unless asked for.
        Map<String, LogLevel> rootLevels = new java.util.HashMap<>(Map.of(org.osgi.service.log.Logger.ROOT_LOGGER_NAME,
                lowest, "Events.Service", lowest.implies(LogLevel.DEBUG) ? lowest : LogLevel.WARN));
        // A logger's own level, by its name (and its descendants'), and for the bundle of that symbolic name: the
        // bundle's logger context (R7 LoggerAdmin) then decides for that bundle's loggers without a level of their own.
        rootLevels.putAll(now.asMap());
        root.setLogLevels(rootLevels);
        for (String name : bundleContexts) {
            if (!now.asMap().containsKey(name)) {
                loggerAdmin.getLoggerContext(name).clear();
            }
        }
        bundleContexts.clear();
        now.asMap().forEach((name, level) -> {
            // the bundle's level for its loggers, and the logger names' own levels, which are more specific
            Map<String, LogLevel> bundleLevels = new java.util.HashMap<>(now.asMap());
            bundleLevels.put(org.osgi.service.log.Logger.ROOT_LOGGER_NAME, level);
            loggerAdmin.getLoggerContext(name).setLogLevels(bundleLevels);
            bundleContexts.add(name);
        });
        levels = now;
        for (Object key : properties.keySet()) {
            if (key.toString().startsWith(LogLevels.PREFIX) && !now.asMap().containsKey(key.toString().substring(LogLevels.PREFIX.length()))) {
                System.err.println("EdgeHA log: " + PID + ": " + key + " = '" + properties.get(key)
                        + "' is not a level (ERROR, WARN, INFO, DEBUG, TRACE); left out");
            }
        }

        RotatingLog previous = file;
        if (previous != null) {
            previous.close();
        }
        file = new RotatingLog(folder, Math.max(16, config.file_size_kib()) * 1024L, Math.max(1, config.file_count()));
    }

    private static long readSequence(Path marker) {
        try {
            return Files.exists(marker) ? Long.parseLong(Files.readString(marker).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Deactivate
    void close() {
        reader.removeLogListener(this);
        synchronized (this) {
            try {
                Files.writeString(sequenceMarker, Long.toString(lastSequence));
            } catch (IOException e) {
                System.err.println("EdgeHA log: cannot record the last entry written: " + e);
            }
        }
        RotatingLog log = file;
        if (log != null) {
            log.close();
        }
    }

    /**
     * A live entry. Entries of different threads can arrive out of sequence order (the sequence number is taken
     * when an entry is made, delivery is queued), so an entry is skipped only when it is known to be written: from
     * the history at activation, or by this bundle before a refresh. Skipping every number below the last one seen,
     * as we did first, lost a warning logged during start-up by another thread (found by RemoteDeployIT).
     */
    @Override
    public synchronized void logged(LogEntry entry) {
        long sequence = entry.getSequence();
        if (sequence <= writtenBefore || fromHistory.contains(sequence)) {
            return; // already written
        }
        write(entry);
    }

    private void write(LogEntry entry) {
        lastSequence = Math.max(lastSequence, entry.getSequence());
        LogLevel level = entry.getLogLevel();
        LogLevel own = levels.explicit(entry.getBundle() == null ? null : entry.getBundle().getSymbolicName(),
                entry.getLoggerName());
        boolean toFile = (own == null ? fileLevel : own).implies(level);
        boolean toConsole = consoleLevel.implies(level) && (own == null || own.implies(level));
        if (!toFile && !toConsole) {
            return;
        }
        String line = format(entry);
        if (toFile) {
            file.write(line);
        }
        if (toConsole && !expectedDuringStop(entry)) {
            System.err.print(entry.getException() == null ? line : consoleLine(entry, toFile));
        }
    }

    /**
     * Felix EventAdmin warns "Event Task Processing Interrupted" when its own threads are interrupted as it stops, in
     * every clean stop that finds an event in delivery (framework events are posted to it as the bundles stop). An
     * operator can do nothing about it, so during a stop it goes to the file only (issue 14).
     */
    private boolean expectedDuringStop(LogEntry entry) {
        return systemBundle.getState() == Bundle.STOPPING && entry.getBundle() != null
                && "org.apache.felix.eventadmin".equals(entry.getBundle().getSymbolicName())
                && entry.getMessage() != null && entry.getMessage().contains("Event Task Processing Interrupted");
    }

    /**
     * One line for the console even when the entry carries an exception: its message, and where its stack trace is.
     * Operators met 120 lines of SCR traces for one bad configuration value (issue 14); the trace is for the file.
     */
    static String consoleLine(LogEntry entry, boolean traceInFile) {
        Throwable e = entry.getException();
        String message = entry.getMessage();
        String cause = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        StringBuilder line = header(entry).append(message);
        if (!message.contains(cause)) {
            line.append(": ").append(cause.lines().findFirst().orElse(cause));
        }
        line.append(traceInFile ? " (stack trace in data/log)" : "").append(System.lineSeparator());
        return line.toString();
    }

    private static StringBuilder header(LogEntry entry) {
        return new StringBuilder(160)
                .append(Instant.ofEpochMilli(entry.getTime()))
                .append(' ').append(String.format(Locale.ROOT, "%-5s", entry.getLogLevel()))
                .append(" [").append(entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName())
                .append("] ");
    }

    static String format(LogEntry entry) {
        StringBuilder line = header(entry).append(entry.getMessage()).append(System.lineSeparator());
        if (entry.getException() != null) {
            StringWriter trace = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static LogLevel level(String name, LogLevel fallback) {
        try {
            return LogLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return fallback;
        }
    }
}
