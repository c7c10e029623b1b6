package org.edgeha.logging.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.edgeha.logging.levels.LogLevels;
import org.ops4j.pax.logging.PaxContext;
import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.PaxLoggingService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The back end of Pax Logging's API bundle: every logger of a third-party library (SLF4J 1.x and 2.x, Commons Logging,
 * Log4j 2 API, JBoss Logging, java.util.logging through Pax Logging's JUL handler, ...) writes to the OSGi log of
 * the bundle that logs, and so to the gateway's {@code data/log/edgeha0.log}. Levels come from PID
 * {@code org.edgeha.gateway.log} ({@code level.<logger or bundle> = LEVEL}, the {@code log:set} command); a logger
 * without one writes from {@link #THIRD_PARTY_DEFAULT}, so that libraries' information and debug lines stay out.
 *
 * <p>The configuration is read, not consumed ({@link ConfigurationAdmin#listConfigurations}): the gateway bundle's
 * log component owns the PID. Its changes arrive as configuration events, on ConfigAdmin's event thread; the levels
 * are then swapped at once and every logger looks its level up again at its next call. java.util.logging is set
 * alike, so that a library's JUL lines below the level are not even made (Paho's debug lines, 436 a minute, were
 * made and printed when Pax Logging's API bundle ran alone).
 */
@Component(service = {PaxLoggingService.class, ConfigurationListener.class}, immediate = true)
public class PaxBridge implements PaxLoggingService, ConfigurationListener {

    static final String PID = "org.edgeha.gateway.log";
    /** The level of a third-party logger nobody set a level for. */
    static final LogLevel THIRD_PARTY_DEFAULT = LogLevel.WARN;
    private static final String PAX_API = "org.ops4j.pax.logging.pax-logging-api";

    private final BundleContext context;
    private final LoggerFactory loggers;
    private final ConfigurationAdmin configurations;
    private final PaxContext paxContext = new PaxContext();
    private final AtomicLong generation = new AtomicLong();
    private volatile LogLevels levels = LogLevels.NONE;
    /** JUL loggers we set a level on: JUL keeps its loggers weakly, and a collected logger forgets its level. */
    private final Map<String, java.util.logging.Logger> julLoggers = new HashMap<>();
    /** Pax Logging resets java.util.logging when it starts: set the levels again after it. */
    private final BundleListener paxStarts = event -> {
        if (event.getType() == BundleEvent.STARTED && PAX_API.equals(event.getBundle().getSymbolicName())) {
            applyToJul(levels);
        }
    };

    @Activate
    public PaxBridge(BundleContext context, @Reference LoggerFactory loggers, @Reference ConfigurationAdmin configurations) {
        this.context = context;
        this.loggers = loggers;
        this.configurations = configurations;
        reload();
        context.addBundleListener(paxStarts);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(paxStarts);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (PID.equals(event.getPid())) {
            reload();
        }
    }

    private synchronized void reload() { // configuration events and activation: one at a time, in order
        LogLevels now = LogLevels.NONE;
        try {
            Configuration[] found = configurations.listConfigurations("(service.pid=" + PID + ")");
            if (found != null && found.length > 0) {
                now = LogLevels.of(found[0].getProperties());
            }
        } catch (IOException | InvalidSyntaxException e) {
            loggers.getLogger(PaxBridge.class).warn("Third-party logging: cannot read the levels of {}: {}", PID, e);
        }
        levels = now;
        generation.incrementAndGet();
        applyToJul(now);
    }

    long generation() {
        return generation.get();
    }

    /** @return the level a third-party logger of the bundle writes from */
    LogLevel levelFor(String symbolicName, String category) {
        LogLevel set = levels.explicit(symbolicName, category);
        return set == null ? THIRD_PARTY_DEFAULT : set;
    }

    private synchronized void applyToJul(LogLevels now) {
        java.util.logging.Logger.getLogger("").setLevel(jul(THIRD_PARTY_DEFAULT));
        julLoggers.entrySet().removeIf(e -> {
            if (!now.asMap().containsKey(e.getKey())) {
                e.getValue().setLevel(null); // inherits again
                return true;
            }
            return false;
        });
        now.asMap().forEach((name, level) -> {
            java.util.logging.Logger logger = julLoggers.computeIfAbsent(name, java.util.logging.Logger::getLogger);
            logger.setLevel(jul(level));
        });
    }

    static Level jul(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.FINEST;
            case DEBUG -> Level.FINE;
            case INFO, AUDIT -> Level.INFO;
            case WARN -> Level.WARNING;
            default -> Level.SEVERE;
        };
    }

    @Override
    public PaxLogger getLogger(Bundle bundle, String category, String fqcn) {
        String name = category == null ? "" : category;
        Logger target;
        try {
            target = bundle == null ? loggers.getLogger(name, Logger.class) : loggers.getLogger(bundle, name, Logger.class);
        } catch (IllegalArgumentException e) { // a bundle that is not resolved (any more): log as this bundle
            target = loggers.getLogger(name, Logger.class);
        }
        return BridgedLogger.create(this, bundle, name, target);
    }

    @Override
    public LogLevel getLogLevel() {
        return THIRD_PARTY_DEFAULT;
    }

    @Override
    public PaxContext getPaxContext() {
        return paxContext;
    }

    // The LoggerFactory and LogService methods Pax Logging inherits: the OSGi log service's own answers.

    @Override
    public Logger getLogger(String name) {
        return loggers.getLogger(name);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return loggers.getLogger(clazz);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return loggers.getLogger(name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return loggers.getLogger(clazz, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        return loggers.getLogger(bundle, name, loggerType);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message) {
        log(null, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message, Throwable exception) {
        log(null, level, message, exception);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message) {
        log(sr, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message, Throwable exception) {
        Logger logger = loggers.getLogger("LogService");
        Object[] args = exception == null ? new Object[] {message} : new Object[] {message, exception};
        switch (level) {
            case 1 -> logger.error("{}", args);
            case 2 -> logger.warn("{}", args);
            case 3 -> logger.info("{}", args);
            default -> logger.debug("{}", args);
        }
    }
}
