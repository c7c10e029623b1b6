package org.edgeha.features.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The manifest headers FeatureHints reads: quoted values with commas, several packages in a clause, typed attributes. */
public class FeatureHintsTest {

    @Test
    public void clausesRespectQuotes() {
        assertEquals(List.of(List.of("a.b", "c.d", "version=1.2", "uses:=x,y"), List.of("e")),
                FeatureHints.clauses("a.b;c.d;version=\"1.2\";uses:=\"x,y\",e"));
    }

    @Test
    public void exportedPackagesAndProvidedCapabilitiesAreRead() {
        var capabilities = FeatureHints.capabilities("org.slf4j;version=\"1.7.36\",org.slf4j;version=\"2.0.17\"",
                "osgi.implementation;osgi.implementation=\"osgi.http\";version:Version=\"2.0\","
                        + "osgi.service;objectClass:List<String>=\"a.B,c.D\"");
        assertEquals(4, capabilities.size());
        assertTrue(capabilities.toString(), capabilities.get(0).toString().contains("osgi.wiring.package=org.slf4j"));
        assertTrue(capabilities.toString(), capabilities.get(2).toString().contains("version=2.0.0"));
        assertTrue(capabilities.toString(), capabilities.get(3).toString().contains("objectClass=[a.B, c.D]"));
    }

    /** A feature providing part of what another provides is not suggested; equal ones both are. */
    @Test
    public void aFeatureCoveredByAnotherIsNotSuggested() {
        java.util.Map<String, java.util.Set<String>> provides = new java.util.LinkedHashMap<>();
        provides.put("http", java.util.Set.of("jakarta.servlet", "org.osgi.service.servlet.context", "osgi.implementation=osgi.http"));
        provides.put("health", java.util.Set.of("jakarta.servlet", "org.osgi.service.servlet.context"));
        provides.put("logging", java.util.Set.of("org.slf4j"));
        provides.put("logging2", java.util.Set.of("org.slf4j"));
        FeatureHints.dropCovered(provides);
        assertEquals(List.of("http", "logging", "logging2"), List.copyOf(provides.keySet()));
    }
}
