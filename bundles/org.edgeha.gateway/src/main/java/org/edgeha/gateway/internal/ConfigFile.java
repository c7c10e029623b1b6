package org.edgeha.gateway.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A configuration as the lines of an {@code etc/*.cfg} file (Java properties, as FileInstall reads them), and the
 * file name FileInstall gives a PID. Pure functions, no I/O.
 *
 * <p>Values are written as text: numbers and booleans as Java prints them (Declarative Services converts them back to
 * the component's types), a multi-valued property as one comma-separated value. An existing file is updated in
 * place: its comments, blank lines and the order of its keys stay; changed values are replaced, removed keys dropped
 * and new keys appended in name order.
 */
final class ConfigFile {

    /** Properties ConfigAdmin and FileInstall add, never written to a file. */
    static final Set<String> NOT_WRITTEN = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename");

    private ConfigFile() {
    }

    /**
     * @return the file name FileInstall reads as this PID ({@code pid.cfg}; a named factory configuration
     *     {@code factoryPid~name} as {@code factoryPid-name.cfg}), or {@code null} when no file name maps back to it
     *     (an unnamed factory configuration, or a plain PID with a '-' that FileInstall would read as a factory)
     */
    static String fileName(String pid, String factoryPid) {
        int tilde = pid.indexOf('~');
        if (tilde > 0) {
            return pid.substring(0, tilde) + "-" + pid.substring(tilde + 1) + ".cfg";
        }
        if (factoryPid != null || pid.contains("-")) {
            return null;
        }
        return pid + ".cfg";
    }

    /** @return the properties worth writing, as text, by name */
    static Map<String, String> values(Dictionary<String, ?> properties) {
        Map<String, String> values = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!NOT_WRITTEN.contains(key)) {
                values.put(key, text(properties.get(key)));
            }
        }
        return values;
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", parts);
        }
        if (value instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(",", parts);
        }
        return value.toString();
    }

    /**
     * @param existing the file's lines, or an empty list for a new file
     * @param values the configuration's properties as text
     * @param header comment lines for a new file
     * @return the file's new lines
     */
    static List<String> update(List<String> existing, Map<String, String> values, List<String> header) {
        List<String> out = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>(values);
        if (existing.isEmpty()) {
            header.forEach(h -> out.add("# " + h));
        }
        for (int i = 0; i < existing.size(); i++) {
            String line = existing.get(i);
            String key = keyOf(line);
            if (key == null) {
                out.add(line); // comment or blank
                continue;
            }
            // a value continued on the next lines ends with an odd number of backslashes: skip those lines too
            while (continues(existing.get(i)) && i + 1 < existing.size()) {
                i++;
            }
            if (left.containsKey(key)) {
                String oldValue = valueOf(existing, line);
                String value = left.remove(key);
                out.add(value.equals(oldValue) ? line : escape(key, true) + " = " + escape(value, false));
            }
            // a key the configuration no longer has is dropped
        }
        left.forEach((k, v) -> out.add(escape(k, true) + " = " + escape(v, false)));
        return out;
    }

    /** @return the properties a .cfg file's text holds, as {@link java.util.Properties} reads them */
    static Map<String, String> read(String text) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Map.of();
        }
        Map<String, String> values = new TreeMap<>();
        p.forEach((k, v) -> values.put(k.toString(), v.toString()));
        return values;
    }

    private static String keyOf(String line) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        Map<String, String> one = read(line);
        return one.isEmpty() ? null : one.keySet().iterator().next();
    }

    private static String valueOf(List<String> lines, String line) {
        Map<String, String> one = read(line);
        return one.isEmpty() ? null : one.values().iterator().next();
    }

    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Escapes as {@link java.util.Properties#store} would, keeping non-ASCII characters as they are. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(i == 0 || key ? "\\ " : " ");
                case '=', ':', '#', '!' -> b.append(key || i == 0 ? "\\" + c : String.valueOf(c));
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
