package org.edgeha.logging.levels;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.log.LogLevel;

/**
 * The per-logger levels of PID {@code org.edgeha.gateway.log}: properties {@code level.<name> = LEVEL}, where the name is
 * a bundle's symbolic name or a logger name (a level set for {@code org.eclipse.jetty} holds for
 * {@code org.eclipse.jetty.server.Server} too). One set of rules for the gateway bundle (EdgeHA's own log, the
 * {@code log:} commands) and the logging feature's bundle (third-party loggers): a private library that bnd copies
 * into both, so neither depends on the other's internals. Immutable and thread-safe.
 */
public final class LogLevels {

    public static final String PREFIX = "level.";

    public static final LogLevels NONE = new LogLevels(Map.of());

    private final Map<String, LogLevel> levels;

    private LogLevels(Map<String, LogLevel> levels) {
        this.levels = levels;
    }

    /** @return the levels among the properties; a value that is no level is left out */
    public static LogLevels of(Map<String, ?> properties) {
        Map<String, LogLevel> levels = new TreeMap<>();
        if (properties != null) {
            properties.forEach((key, value) -> {
                LogLevel level = key.startsWith(PREFIX) && key.length() > PREFIX.length() ? parse(value) : null;
                if (level != null) {
                    levels.put(key.substring(PREFIX.length()), level);
                }
            });
        }
        return new LogLevels(Collections.unmodifiableMap(levels));
    }

    /** @return the levels among a configuration's properties (ConfigAdmin's dictionary); see {@link #of(Map)} */
    public static LogLevels of(Dictionary<String, ?> properties) {
        Map<String, Object> map = new HashMap<>();
        if (properties != null) {
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                map.put(key, properties.get(key));
            }
        }
        return of(map);
    }

    /** @return the level, or null when the value names none */
    public static LogLevel parse(Object value) {
        try {
            return value == null ? null : LogLevel.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @return the level set for the logger's name or its nearest dotted ancestor, else for the bundle's symbolic name
     *     (the more specific wins: {@code log:set DEBUG org.eclipse.jetty} holds in a bundle whose level is INFO);
     *     null when none is set
     */
    public LogLevel explicit(String symbolicName, String logger) {
        if (levels.isEmpty()) {
            return null;
        }
        LogLevel level = null;
        for (String name = logger; level == null && name != null && !name.isEmpty();) {
            level = levels.get(name);
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? null : name.substring(0, dot);
        }
        return level != null || symbolicName == null ? level : levels.get(symbolicName);
    }

    /** @return the levels set, by logger or bundle name, sorted by name */
    public Map<String, LogLevel> asMap() {
        return levels;
    }
}
