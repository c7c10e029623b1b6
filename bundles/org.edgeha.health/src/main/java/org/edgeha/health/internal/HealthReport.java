package org.edgeha.health.internal;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

/**
 * One evaluation of the checks tagged {@value Checks#TAG}, as the health JSON {@value #SCHEMA} (docs/mqtt-api.md,
 * "Node health"): the same document at {@code /system/health} and on the MQTT topic. Immutable.
 *
 * @param status the overall status: the worst of the checks ({@code OK} with no check)
 * @param checks each check's name, status and message, sorted by name
 */
record HealthReport(Result.Status status, List<Check> checks) {

    static final String SCHEMA = "edgeha.node-health/1";
    private static final JsonProvider JSON = JsonProvider.provider();

    /** One check's outcome; {@code message} joins its log lines (debug lines left out) with "; ". */
    record Check(String name, Result.Status status, String message) {
    }

    /**
     * Runs the checks now, past Felix HC's result cache (a reconnect must not publish the cached CRITICAL of a moment
     * ago). Blocks up to Felix HC's timeout, 2 s by default, on the calling thread.
     */
    static HealthReport run(HealthCheckExecutor executor) {
        List<Check> checks = new ArrayList<>();
        Result.Status overall = Result.Status.OK;
        for (HealthCheckExecutionResult r : executor.execute(HealthCheckSelector.tags(Checks.TAG),
                new HealthCheckExecutionOptions().setForceInstantExecution(true))) {
            Result result = r.getHealthCheckResult();
            StringBuilder message = new StringBuilder();
            for (ResultLog.Entry e : result) {
                if (e.isDebug()) {
                    continue;
                }
                if (message.length() > 0) {
                    message.append("; ");
                }
                message.append(e.getMessage());
                if (e.getException() != null) {
                    message.append(" (").append(e.getException()).append(')');
                }
            }
            if (r.hasTimedOut()) {
                message.append(message.length() > 0 ? "; " : "").append("timed out");
            }
            checks.add(new Check(r.getHealthCheckMetadata().getName(), result.getStatus(), message.toString()));
            if (result.getStatus().compareTo(overall) > 0) {
                overall = result.getStatus();
            }
        }
        checks.sort(Comparator.comparing(Check::name));
        return new HealthReport(overall, List.copyOf(checks));
    }

    /** What a change is measured by: the statuses, not the messages (counters in them change all the time). */
    String signature() {
        StringBuilder s = new StringBuilder(status.name());
        checks.forEach(c -> s.append('|').append(c.name).append('=').append(c.status.name()));
        return s.toString();
    }

    /** @return whether load balancers and monitors should take the gateway as healthy (OK or WARN) */
    boolean healthy() {
        return status == Result.Status.OK || status == Result.Status.WARN;
    }

    /** The JSON document, one line (for MQTT) or indented (for HTTP). */
    String json(int node, long incarnation, long ts, boolean pretty) {
        JsonArrayBuilder cs = JSON.createArrayBuilder();
        for (Check c : checks) {
            cs.add(JSON.createObjectBuilder().add("name", c.name).add("status", c.status.name())
                    .add("message", c.message));
        }
        JsonObjectBuilder json = JSON.createObjectBuilder().add("schema", SCHEMA).add("ts", ts).add("node", node);
        if (incarnation > 0) {
            json.add("incarnation", incarnation);
        }
        json.add("status", status.name()).add("checks", cs);
        StringWriter out = new StringWriter();
        try (var writer = JSON.createWriterFactory(pretty ? Map.of(JsonGenerator.PRETTY_PRINTING, true) : Map.of())
                .createWriter(out)) {
            writer.writeObject(json.build());
        }
        return out.toString().strip();
    }

    /** Lines for {@code health:list}. */
    String lines() {
        StringBuilder s = new StringBuilder("overall   ").append(status);
        for (Check c : checks) {
            s.append(String.format("%n%-9s %-37s %s", c.status, c.name, c.message));
        }
        return s.toString();
    }
}
