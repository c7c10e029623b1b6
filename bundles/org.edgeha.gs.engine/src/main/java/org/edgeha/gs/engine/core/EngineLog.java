package org.edgeha.gs.engine.core;

import java.util.function.Supplier;

/**
 * The engine's logging, kept free of OSGi so that the core runs in plain unit tests; the DS component
 * adapts it to the OSGi R7 {@code Logger}.
 */
public interface EngineLog {

    /** Logs nothing. */
    EngineLog NONE = new EngineLog() {
        @Override
        public void debug(Supplier<String> message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message, Throwable t) {
        }
    };

    void debug(Supplier<String> message);

    void info(String message);

    void warn(String message);

    void error(String message, Throwable t);
}
