package org.edgeha.gs.engine.osgi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads whiteboard service properties that may be a single value, an array or a collection. */
final class Props {

    private Props() {
    }

    static List<String> strings(Map<String, ?> props, String key) {
        Object v = props.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    /** @return the integer value, or {@code null} if absent or not a number */
    static Integer integer(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** @return whether a service with these properties serves the client of this name */
    static boolean selects(Map<String, ?> props, String key, String value) {
        List<String> names = strings(props, key);
        return names.isEmpty() || names.contains(value);
    }

    static String describe(Map<String, ?> props) {
        return "service " + props.get("service.id") + " " + props.get("component.name");
    }
}
