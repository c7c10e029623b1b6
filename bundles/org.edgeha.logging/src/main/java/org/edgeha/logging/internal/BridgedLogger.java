package org.edgeha.logging.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Locale;

import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.PaxMarker;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;

/**
 * One third-party logger (a category of SLF4J, JUL, Commons Logging, Log4j 2, ... as Pax Logging's API bundle hands it
 * over) written to an OSGi {@link Logger} of the bundle that logs. A {@link PaxLogger} has about a hundred methods
 * (every level with and without a marker, message arguments, a consumer, fully qualified variants), all of which
 * come down to "is this level on" and "log this message at this level": a proxy answers them by the method's name, so
 * that none is forgotten and a method a later Pax Logging adds is still answered. Thread-safe: the level is looked
 * up again whenever the levels change ({@link PaxBridge#generation()}).
 */
final class BridgedLogger implements InvocationHandler {

    private final PaxBridge bridge;
    private final Bundle bundle;
    private final String category;
    private final Logger target;
    private volatile long generation = -1;
    private volatile LogLevel level = LogLevel.WARN;

    private BridgedLogger(PaxBridge bridge, Bundle bundle, String category, Logger target) {
        this.bridge = bridge;
        this.bundle = bundle;
        this.category = category;
        this.target = target;
    }

    static PaxLogger create(PaxBridge bridge, Bundle bundle, String category, Logger target) {
        return (PaxLogger) Proxy.newProxyInstance(PaxLogger.class.getClassLoader(), new Class<?>[] {PaxLogger.class},
                new BridgedLogger(bridge, bundle, category, target));
    }

    /** @return the level this logger writes from (the bundle's or the logger's level, else the third-party default) */
    LogLevel level() {
        long now = bridge.generation();
        if (generation != now) {
            level = bridge.levelFor(bundle == null ? null : bundle.getSymbolicName(), category);
            generation = now;
        }
        return level;
    }

    private boolean enabled(LogLevel at) {
        return level().implies(at);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        Object[] a = args == null ? new Object[0] : args;
        switch (name) {
            case "getName":
                return category;
            case "getPaxLogLevel":
                return paxLevel(level());
            case "getLogLevel":
                return level();
            case "getPaxContext":
                return bridge.getPaxContext();
            case "toString":
                return "BridgedLogger[" + category + "]";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == a[0];
            default:
                break;
        }
        if (name.startsWith("is") && name.endsWith("Enabled")) {
            return enabled(levelOf(name.substring(2, name.length() - "Enabled".length()), method));
        }
        if (name.startsWith("fq")) { // fqdebug(fqcn, [marker,] message [, throwable]): the message is formatted already
            LogLevel at = levelOf(name.substring(2), method);
            if (enabled(at)) {
                Object[] rest = dropMarker(Arrays.copyOfRange(a, 1, a.length));
                String message = String.valueOf(rest[0]);
                Throwable thrown = rest.length > 1 && rest[1] instanceof Throwable ? (Throwable) rest[1] : null;
                // "{}" with the text as its argument: a literal "{}" or backslash in the text stays as it is
                write(at, "{}", thrown == null ? new Object[] {message} : new Object[] {message, thrown});
            }
            return null;
        }
        LogLevel at = levelOf(name, method);
        if (!enabled(at)) {
            return null;
        }
        Object[] rest = dropMarker(a);
        if (rest.length == 1 && rest[0] instanceof LoggerConsumer) {
            @SuppressWarnings("unchecked")
            LoggerConsumer<Exception> consumer = (LoggerConsumer<Exception>) rest[0];
            consumer.accept(target);
            return null;
        }
        Object[] arguments = rest.length == 2 && method.isVarArgs() ? (Object[]) rest[1]
                : Arrays.copyOfRange(rest, 1, rest.length);
        write(at, rest.length == 0 ? "" : String.valueOf(rest[0]), arguments == null ? new Object[0] : arguments);
        return null;
    }

    /** Writes to the OSGi logger, which formats the {@code {}} placeholders (SLF4J's style) and takes a last throwable. */
    private void write(LogLevel at, String format, Object[] arguments) {
        switch (at) {
            case TRACE -> target.trace(format, arguments);
            case DEBUG -> target.debug(format, arguments);
            case INFO -> target.info(format, arguments);
            case WARN -> target.warn(format, arguments);
            default -> target.error(format, arguments);
        }
    }

    private static Object[] dropMarker(Object[] args) {
        return args.length > 0 && args[0] instanceof PaxMarker ? Arrays.copyOfRange(args, 1, args.length) : args;
    }

    /** Pax Logging's levels by their method names; fatal is an error, audit is written as information. */
    static LogLevel levelOf(String word, Method method) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "trace" -> LogLevel.TRACE;
            case "debug" -> LogLevel.DEBUG;
            case "info", "audit" -> LogLevel.INFO;
            case "warn", "warning" -> LogLevel.WARN;
            case "error", "fatal" -> LogLevel.ERROR;
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }

    static int paxLevel(LogLevel level) {
        return switch (level) {
            case TRACE -> PaxLogger.LEVEL_TRACE;
            case DEBUG -> PaxLogger.LEVEL_DEBUG;
            case INFO, AUDIT -> PaxLogger.LEVEL_INFO;
            case WARN -> PaxLogger.LEVEL_WARNING;
            default -> PaxLogger.LEVEL_ERROR;
        };
    }
}
