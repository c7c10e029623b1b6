package org.edgeha.gs.engine.osgi;

import java.util.function.Supplier;

import org.edgeha.gs.engine.core.EngineLog;
import org.osgi.service.log.Logger;

/** The engine's log, written to the OSGi R7 {@link Logger} DS injects. */
final class OsgiLog implements EngineLog {

    private final Logger logger;

    OsgiLog(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void debug(Supplier<String> message) {
        if (logger.isDebugEnabled()) {
            logger.debug(message.get());
        }
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
