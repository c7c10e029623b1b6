package org.edgeha.logging.internal;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Dictionary;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.log.LogLevel;

/**
 * The per-logger levels of PID {@code org.edgeha.gateway.log}: properties {@code level.<name> = LEVEL}, where the name is
 * a bundle's symbolic name or a logger name (a level set for {@code org.eclipse.jetty} holds for
 * {@code org.eclipse.jetty.server.Server} too). The gateway bundle reads the same properties with the same rules
 * (its {@code LogLevels}); the two are private copies, kept alike, because neither bundle may use the other's
 * internals. Immutable and thread-safe.
 */
final class LogLevels {

    static final String PREFIX = "level.";

    static final LogLevels NONE = new LogLevels(Map.of());

    private final Map<String, LogLevel> levels;

    private LogLevels(Map<String, LogLevel> levels) {
        this.levels = levels;
    }

    /** @return the levels among the properties; a value that is no level is left out */
    static LogLevels of(Dictionary<String, ?> properties) {
        Map<String, LogLevel> levels = new TreeMap<>();
        if (properties != null) {
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                LogLevel level = key.startsWith(PREFIX) && key.length() > PREFIX.length() ? parse(properties.get(key)) : null;
                if (level != null) {
                    levels.put(key.substring(PREFIX.length()), level);
                }
            }
        }
        return new LogLevels(Collections.unmodifiableMap(levels));
    }

    /** @return the level, or null when the value names none */
    static LogLevel parse(Object value) {
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
    LogLevel explicit(String symbolicName, String logger) {
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

    Map<String, LogLevel> asMap() {
        return levels;
    }
}
