package org.edgeha.recovery.strategy.failover.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class EndpointsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    public void keepsOrderTrimsAndNormalizes() {
        List<String> endpoints = Endpoints.parse(new String[] {" PLC-A.local:502", "10.0.0.7:1502 ", "[::1]:502"},
                warnings::add);
        assertEquals(List.of("plc-a.local:502", "10.0.0.7:1502", "[::1]:502"), endpoints);
        assertTrue(warnings.isEmpty());
    }

    @Test
    public void acceptsCommaSeparatedValuesAsACfgFileGivesThem() {
        assertEquals(List.of("a:1", "b:2", "c:3"),
                Endpoints.parse(new String[] {"a:1, b:2,", "c:3"}, warnings::add));
    }

    @Test
    public void dropsDuplicatesWithAWarning() {
        assertEquals(List.of("a:1", "b:2"), Endpoints.parse(new String[] {"a:1", "b:2", "A:1"}, warnings::add));
        assertEquals(List.of("endpoint a:1 is listed twice; the second is ignored"), warnings);
    }

    @Test
    public void refusesAnEmptyList() {
        for (String[] empty : new String[][] {null, {}, {""}, {" , "}}) {
            try {
                Endpoints.parse(empty, warnings::add);
                fail("accepted an empty list");
            } catch (IllegalArgumentException e) {
                assertEquals("endpoints is empty; give at least one host:port, in order of preference", e.getMessage());
            }
        }
    }

    @Test
    public void namesEveryMalformedEndpointInOneMessage() {
        try {
            Endpoints.parse(new String[] {"plc-a", "good:1", "plc-b:0", "tcp://plc-c:502", ":502", "fe80::1:502",
                "plc-d:70000", "[::1]502", "plc-e:http"}, warnings::add);
            fail("accepted malformed endpoints");
        } catch (IllegalArgumentException e) {
            assertEquals("endpoints: 'plc-a' has no port (expected host:port); "
                    + "'plc-b:0' has no valid port (1 to 65535); "
                    + "'tcp://plc-c:502' is not host:port (no scheme, path or spaces); "
                    + "':502' has no host (expected host:port); "
                    + "'fe80::1:502' has several ':' (write an IPv6 address as [addr]:port); "
                    + "'plc-d:70000' has no valid port (1 to 65535); "
                    + "'[::1]502' is not [ipv6]:port; "
                    + "'plc-e:http' has no valid port (1 to 65535)", e.getMessage());
        }
    }

    @Test
    public void normalizeOrNullIgnoresWhatIsNotAnEndpoint() {
        assertEquals("plc-b:502", Endpoints.normalizeOrNull("PLC-B:502"));
        assertNull(Endpoints.normalizeOrNull("/var/data/file.bin"));
        assertNull(Endpoints.normalizeOrNull(""));
        assertNull(Endpoints.normalizeOrNull(null));
    }
}
