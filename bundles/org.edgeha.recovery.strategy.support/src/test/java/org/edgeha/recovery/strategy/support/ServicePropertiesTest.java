package org.edgeha.recovery.strategy.support;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ServicePropertiesTest {

    private final List<String> warnings = new ArrayList<>();

    private Hashtable<String, Object> of(final Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ServiceProperties.of(map, warnings::add);
    }

    @Test
    public void stringRankingFromACfgFileBecomesAnInteger() {
        assertEquals(10, of("service.ranking", " 10").get("service.ranking"));
        assertEquals(-1000, of("service.ranking", -1000).get("service.ranking"));
        assertEquals(0, of("service.ranking", "high").get("service.ranking"));
        assertEquals(List.of("service.ranking=high is not an integer; using 0"), warnings);
    }

    @Test
    public void commaSeparatedNamePatternsBecomeAnArray() {
        assertArrayEquals(new String[] {"plc-*", "mqtt"},
                (String[]) of("edgeha.recovery.connection.name", "plc-*, mqtt").get("edgeha.recovery.connection.name"));
        assertArrayEquals(new String[] {"a", "b", "c"}, (String[]) of("edgeha.recovery.connection.name",
                new String[] {"a, b", " c "}).get("edgeha.recovery.connection.name"));
        assertArrayEquals(new String[] {"x", "y"}, (String[]) of("edgeha.recovery.connection.name",
                List.of("x", "y")).get("edgeha.recovery.connection.name"));
        assertArrayEquals(new String[0], ServiceProperties.names(of("edgeha.recovery.connection.name", " , ")));
    }

    @Test
    public void privatePropertiesAreLeftOutAsDsWould() {
        Hashtable<String, Object> properties = of(".secret", "x", "edgeha.recovery.strategy", "plc");
        assertFalse(properties.containsKey(".secret"));
        assertEquals("plc", properties.get("edgeha.recovery.strategy"));
    }
}
