package org.edgeha.logging.levels;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Map;

import org.junit.Test;
import org.osgi.service.log.LogLevel;

/** The per-logger levels of PID org.edgeha.gateway.log: the nearest logger name first, then the bundle's level. */
public class LogLevelsTest {

    private final LogLevels levels = LogLevels.of(Map.of("file.level", "INFO", "level.org.eclipse.jetty", "debug",
            "level.org.eclipse.jetty.server.Server", "ERROR", "level.org.apache.felix.http.jetty", "TRACE",
            "level.bad", "LOUD", "level.", "INFO"));

    @Test
    public void theNearestLoggerNameDecides() {
        assertEquals(LogLevel.DEBUG, levels.explicit(null, "org.eclipse.jetty.io.ManagedSelector"));
        assertEquals(LogLevel.DEBUG, levels.explicit("some.bundle", "org.eclipse.jetty"));
        assertEquals(LogLevel.ERROR, levels.explicit(null, "org.eclipse.jetty.server.Server"));
        assertNull(levels.explicit(null, "org.eclipse.jettyx.Other"));
        assertNull(levels.explicit(null, "org.eclipse"));
        assertNull(levels.explicit(null, null));
    }

    @Test
    public void aBundlesLevelHoldsForItsLoggersWithoutALevelOfTheirOwn() {
        assertEquals(LogLevel.TRACE, levels.explicit("org.apache.felix.http.jetty", "org.apache.felix.http.jetty.internal.X"));
        assertEquals(LogLevel.TRACE, levels.explicit("org.apache.felix.http.jetty", "LogService"));
        assertEquals(LogLevel.ERROR, levels.explicit("org.apache.felix.http.jetty", "org.eclipse.jetty.server.Server"));
    }

    @Test
    public void valuesThatAreNoLevelAreLeftOut() {
        assertEquals(Map.of("org.eclipse.jetty", LogLevel.DEBUG, "org.eclipse.jetty.server.Server", LogLevel.ERROR,
                "org.apache.felix.http.jetty", LogLevel.TRACE), levels.asMap());
    }

    /** ConfigAdmin hands the properties over as a Dictionary: the same rules apply. */
    @Test
    public void aConfigurationDictionaryGivesTheSameLevels() {
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>(Map.of("level.org.eclipse.jetty", "debug",
                "level.bad", "LOUD", "file.level", "INFO"));
        LogLevels fromDictionary = LogLevels.of((java.util.Dictionary<String, Object>) properties);
        assertEquals(Map.of("org.eclipse.jetty", LogLevel.DEBUG), fromDictionary.asMap());
        assertEquals(LogLevel.DEBUG, fromDictionary.explicit(null, "org.eclipse.jetty.server.Server"));
        assertNull(LogLevels.of((java.util.Dictionary<String, Object>) null).explicit("b", "x"));
    }
}
