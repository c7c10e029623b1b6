package org.edgeha.gs.engine.osgi;

import java.util.function.Supplier;

import org.edgeha.gs.engine.core.EngineLog;
import org.osgi.service.log.Logger;

/**
 * The engine's log, written to the OSGi R7 {@link Logger} DS injects. Thread-safe.
 *
 * <p>Whether debug is enabled is asked of the log service at most once a second: the engine asks at every commit,
 * and Felix Log's {@code isDebugEnabled()} looks the logger context up afresh each time (a {@code String.format}
 * and a map look-up; the benchmarks' allocation profile showed it on the protocol path). A level changed through
 * ConfigAdmin therefore takes effect within a second.
 */
final class OsgiLog implements EngineLog {

    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Logger logger;
    private volatile boolean debugEnabled;
    private volatile long checkedAt;
    private volatile boolean checked;

    OsgiLog(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void debug(Supplier<String> message) {
        if (debugEnabled()) {
            logger.debug(message.get());
        }
    }

    private boolean debugEnabled() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > RECHECK_NANOS) {
            debugEnabled = logger.isDebugEnabled();
            checkedAt = now;
            checked = true;
        }
        return debugEnabled;
    }

    @Override
    public void info(String message) {
        logger.info(message);
    }

    @Override
    public void warn(String message) {
        logger.warn(message);
    }

    @Override
    public void error(String message, Throwable t) {
        logger.error(message, t);
    }
}
