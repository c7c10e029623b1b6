package org.edgeha.testing.broker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.function.IntFunction;

/**
 * An in-JVM broker found through {@link ServiceLoader}; see "Embedded fallback" in {@link BrokerFixture}.
 * Not thread-safe.
 */
final class EmbeddedBackend implements Backend {

    private final IntFunction<AutoCloseable> provider;
    private AutoCloseable running;

    private EmbeddedBackend(IntFunction<AutoCloseable> provider) {
        this.provider = provider;
    }

    /**
     * The service type is a JDK interface so that the provider module need not depend on this one:
     * this module depends on the provider (profile embedded-broker), and Maven refuses a reactor cycle.
     * Only providers in our own package tree count, so an unrelated IntFunction service is never used.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optional<EmbeddedBackend> find() {
        return ServiceLoader.load(IntFunction.class).stream()
                .filter(p -> p.type().getPackageName().startsWith(BrokerFixture.class.getPackageName()))
                .findFirst()
                .map(p -> new EmbeddedBackend((IntFunction<AutoCloseable>) (IntFunction) p.get()));
    }

    @Override
    public BrokerFixture.Kind kind() {
        return BrokerFixture.Kind.EMBEDDED;
    }

    @Override
    public void launch(int port) {
        running = provider.apply(port);
    }

    @Override
    public void stop() {
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                throw new IllegalStateException("embedded broker did not stop cleanly", e);
            } finally {
                running = null;
            }
        }
    }

    /** An in-JVM broker cannot be SIGKILLed; the closest we have is stopping it. */
    @Override
    public void kill() {
        stop();
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public String diagnostics() {
        return " (embedded broker " + provider.getClass().getName() + "; see the test log)";
    }
}
