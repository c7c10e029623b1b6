package org.edgeha.itests;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The logging feature in a real Felix (issue 16): lines of SLF4J, Apache Commons Logging, the Log4j 2 API and
 * java.util.logging reach the OSGi log service (and so the gateway's log file) under their logger names, as entries of
 * the bundle that logs; a logger without a level of its own writes from WARN; a level set in PID
 * {@code org.edgeha.gateway.log} ({@code level.<name>}, what log:set writes) holds at once for every API, and is undone
 * as fast.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ThirdPartyLoggingIT {

    private static final long DEADLINE_MS = 20_000;
    private static final String[] APIS = {"slf4j", "jcl", "log4j2", "jul"};

    @Inject
    private LogReaderService reader;

    @Inject
    private ConfigurationAdmin configurations;

    private final List<LogEntry> entries = new CopyOnWriteArrayList<>();
    private final LogListener listener = entries::add;

    @Configuration
    public Option[] config() {
        return new Option[] {EdgeHaOptions.base(),
            mavenBundle("org.ops4j.pax.logging", "pax-logging-api").versionAsInProject().startLevel(1),
            bundle(Path.of(System.getProperty("edgeha.logging.jar")).toUri().toString())};
    }

    @Inject
    private org.osgi.framework.BundleContext context;

    /**
     * Pax Exam runs a Pax Logging API bundle of its own (2.1.4, for its own logging), which takes java.util.logging
     * over too when it starts, with a handler that cannot see the bridge (another version of the SPI). On a gateway
     * the feature's is the only one; here it is started again, so that its handler is the one in place (and the bridge
     * sets the JUL levels again after it, as it must whenever Pax Logging starts).
     */
    @Before
    public void listen() throws Exception {
        reader.addLogListener(listener);
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("org.ops4j.pax.logging.pax-logging-api".equals(b.getSymbolicName())
                    && b.getVersion().equals(org.osgi.framework.Version.parseVersion("2.3.2"))) {
                b.stop();
                b.start();
            }
        }
    }

    @After
    public void stopListening() {
        reader.removeLogListener(listener);
    }

    /** Logs one line at each level through the API, as logger {@code test.<api>.Logger}. */
    private static void logThrough(String api, String mark) {
        String name = "test." + api + ".Logger";
        switch (api) {
            case "slf4j" -> {
                org.slf4j.Logger l = org.slf4j.LoggerFactory.getLogger(name);
                l.debug("{} debug {}", api, mark);
                l.info("{} info {}", api, mark);
                l.warn("{} warn {}", api, mark);
            }
            case "jcl" -> {
                org.apache.commons.logging.Log l = org.apache.commons.logging.LogFactory.getLog(name);
                l.debug(api + " debug " + mark);
                l.info(api + " info " + mark);
                l.warn(api + " warn " + mark);
            }
            case "log4j2" -> {
                org.apache.logging.log4j.Logger l = org.apache.logging.log4j.LogManager.getLogger(name);
                l.debug("{} debug {}", api, mark);
                l.info("{} info {}", api, mark);
                l.warn("{} warn {}", api, mark);
            }
            default -> {
                java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
                l.fine(api + " debug " + mark);
                l.info(api + " info " + mark);
                l.warning(api + " warn " + mark);
            }
        }
    }

    /** @return what is missing or too much among the entries for the mark: every API's lines from the level on */
    private String check(String mark, boolean debug) {
        List<String> problems = new ArrayList<>();
        for (String api : APIS) {
            for (String level : new String[] {"debug", "info", "warn"}) {
                String message = api + " " + level + " " + mark;
                boolean expected = level.equals("warn") || debug;
                LogEntry entry = entries.stream().filter(e -> message.equals(e.getMessage())).findFirst().orElse(null);
                if (expected && entry == null) {
                    problems.add("missing: " + message);
                } else if (!expected && entry != null) {
                    problems.add("below its level: " + message);
                } else if (entry != null && !entry.getLoggerName().equals("test." + api + ".Logger")) {
                    problems.add(message + " has logger " + entry.getLoggerName());
                } else if (entry != null && !entry.getLogLevel().name().equalsIgnoreCase(level)) {
                    problems.add(message + " at " + entry.getLogLevel());
                }
            }
        }
        return problems.isEmpty() ? null : problems + " among " + entries.stream().map(LogEntry::getMessage).toList();
    }

    private void setLevel(String name, String level) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.getConfiguration("org.edgeha.gateway.log", "?");
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (level == null) {
            p.remove("level." + name);
        } else {
            p.put("level." + name, level);
        }
        c.update(p);
    }

    /**
     * Logs through every API with a fresh mark and checks the entries, again until the deadline (the bridge registers,
     * and a changed level applies, within moments).
     *
     * @return null when the entries are as expected, else the last problem
     */
    private String roundTrip(boolean debug) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        String problem;
        do {
            String mark = "m" + System.nanoTime();
            for (String api : APIS) {
                logThrough(api, mark);
            }
            // entries reach listeners on the log service's own thread: wait for the warnings, then judge the rest
            Await.until(2000, () -> entries.stream().anyMatch(e -> ("jul warn " + mark).equals(e.getMessage())) ? null : "");
            problem = check(mark, debug);
            lastMark = mark;
        } while (problem != null && System.nanoTime() < deadline);
        return problem;
    }

    private volatile String lastMark;

    @Test
    public void everyApiReachesTheOsgiLogFromWarnAndFromTheLevelSetForIt() throws Exception {
        assertNull(roundTrip(false));
        setLevel("test", "DEBUG");
        assertNull(roundTrip(true));
        setLevel("test", null);
        assertNull(roundTrip(false));
        String mark = lastMark;
        assertTrue("entries come from the bundle that logs, not from the bridge", entries.stream()
                .filter(e -> e.getMessage() != null && e.getMessage().endsWith(mark)).allMatch(e -> e.getBundle() != null
                        && !e.getBundle().getSymbolicName().startsWith("org.edgeha.logging")
                        && !e.getBundle().getSymbolicName().startsWith("org.ops4j.pax.logging")));
    }
}
