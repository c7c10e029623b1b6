package org.edgeha.testing.broker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** One way of running a broker; {@link BrokerFixture} adds port choice, readiness and locking. */
interface Backend {

    BrokerFixture.Kind kind();

    /** Launches the broker on {@code port}; returns without waiting until it accepts connections. */
    void launch(int port);

    /** Stops gracefully and returns once the broker is gone. No-op when not running. */
    void stop();

    /** Stops abruptly (SIGKILL where there is a process) and returns once the broker is gone. */
    void kill();

    boolean isRunning();

    OptionalLong pid();

    Optional<Path> logFile();

    /** Text to append to a failure message, e.g. the tail of the broker log. */
    String diagnostics();
}
