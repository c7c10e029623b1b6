package org.edgeha.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.StringReader;
import java.util.List;

import org.apache.felix.hc.api.Result;
import org.junit.Test;

import jakarta.json.Json;
import jakarta.json.JsonObject;

public class HealthReportTest {

    private static HealthReport report(Result.Status overall, Result.Status link, String message) {
        return new HealthReport(overall, List.of(new HealthReport.Check("Bundles started", Result.Status.OK, "all"),
                new HealthReport.Check(Checks.MQTT_LINK, link, message)));
    }

    @Test
    public void jsonCarriesSchemaTsNodeIncarnationStatusAndEachCheck() {
        String text = report(Result.Status.CRITICAL, Result.Status.CRITICAL, "default: RECOVERING \"x\"")
                .json(3, 77, 1234, false);
        assertFalse("one line for MQTT", text.contains("\n"));
        JsonObject json = Json.createReader(new StringReader(text)).readObject();
        assertEquals(HealthReport.SCHEMA, json.getString("schema"));
        assertEquals(1234, json.getJsonNumber("ts").longValue());
        assertEquals(3, json.getInt("node"));
        assertEquals(77, json.getJsonNumber("incarnation").longValue());
        assertEquals("CRITICAL", json.getString("status"));
        JsonObject link = json.getJsonArray("checks").getJsonObject(1);
        assertEquals(Checks.MQTT_LINK, link.getString("name"));
        assertEquals("CRITICAL", link.getString("status"));
        assertEquals("default: RECOVERING \"x\"", link.getString("message"));
    }

    @Test
    public void noIncarnationWithoutABridgeAndPrettyForHttp() {
        String text = report(Result.Status.OK, Result.Status.OK, "ok").json(1, 0, 1, true);
        assertTrue(text.contains("\n"));
        assertFalse(Json.createReader(new StringReader(text)).readObject().containsKey("incarnation"));
    }

    @Test
    public void signatureFollowsStatusesNotMessages() {
        assertEquals(report(Result.Status.OK, Result.Status.OK, "store 1 %").signature(),
                report(Result.Status.OK, Result.Status.OK, "store 2 %").signature());
        assertNotEquals(report(Result.Status.OK, Result.Status.OK, "a").signature(),
                report(Result.Status.CRITICAL, Result.Status.CRITICAL, "a").signature());
    }

    @Test
    public void healthyIsOkOrWarn() {
        assertTrue(report(Result.Status.OK, Result.Status.OK, "").healthy());
        assertTrue(report(Result.Status.WARN, Result.Status.WARN, "").healthy());
        assertFalse(report(Result.Status.CRITICAL, Result.Status.CRITICAL, "").healthy());
        assertFalse(report(Result.Status.TEMPORARILY_UNAVAILABLE, Result.Status.OK, "").healthy());
    }
}
