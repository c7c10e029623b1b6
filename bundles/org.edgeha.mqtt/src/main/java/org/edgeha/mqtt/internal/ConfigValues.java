package org.edgeha.mqtt.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Checks a configuration given as a component property type before it is used. SCR converts a value that does not
 * fit its attribute's type (e.g. {@code keepalive.s=ten}) only when the attribute is read, and then throws an
 * exception that names neither the key nor the value; here every attribute is read once and a failure becomes an
 * {@link IllegalArgumentException} that names the key, so that the operator gets one line instead of a stack trace.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * @throws IllegalArgumentException naming the first attribute (in declaration name order) SCR cannot convert
     */
    static <T> void check(Class<T> type, T config) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0) {
                continue;
            }
            try {
                m.setAccessible(true);
                m.invoke(config);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(key(m.getName()) + ": not " + expected(m.getReturnType()));
            } catch (IllegalAccessException | RuntimeException e) {
                return; // not a property type SCR made: nothing to check
            }
        }
    }

    /** The property name of an attribute method, as DS maps it ({@code keepalive_s} is {@code keepalive.s}). */
    static String key(String method) {
        return method.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }
}
