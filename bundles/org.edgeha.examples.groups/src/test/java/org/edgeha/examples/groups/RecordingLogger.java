package org.edgeha.examples.groups;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.osgi.service.log.Logger;

/**
 * An OSGi {@link Logger} for tests that keeps each line as {@code LEVEL message}, with the {@code {}}
 * placeholders filled in as the OSGi log service does. A trailing Throwable argument is kept as
 * {@code " <exception: ...>"}, so a test can check that nothing logged a stack trace.
 */
final class RecordingLogger {

    private final List<String> lines = new ArrayList<>();

    final Logger logger = (Logger) Proxy.newProxyInstance(RecordingLogger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (name.startsWith("is") && method.getReturnType() == boolean.class) {
                    return true;
                }
                if (name.equals("getName") || name.equals("toString")) {
                    return "test";
                }
                if (name.equals("hashCode")) {
                    return System.identityHashCode(proxy);
                }
                if (name.equals("equals")) {
                    return proxy == args[0];
                }
                if (args != null && args.length > 0 && args[0] instanceof String format) {
                    Object[] values = Arrays.copyOfRange(args, 1, args.length);
                    if (method.isVarArgs() && values.length == 1 && values[0] instanceof Object[] array) {
                        values = array;
                    }
                    record(name.toUpperCase(Locale.ROOT), format, values);
                }
                return null;
            });

    private synchronized void record(String level, String format, Object[] values) {
        StringBuilder b = new StringBuilder(level).append(' ');
        int next = 0;
        int from = 0;
        for (int at; (at = format.indexOf("{}", from)) >= 0 && next < values.length; from = at + 2) {
            b.append(format, from, at).append(values[next++]);
        }
        b.append(format.substring(from));
        if (next < values.length && values[values.length - 1] instanceof Throwable t) {
            b.append(" <exception: ").append(t).append('>');
        }
        lines.add(b.toString());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** @return the lines that contain {@code text} */
    List<String> matching(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }
}
