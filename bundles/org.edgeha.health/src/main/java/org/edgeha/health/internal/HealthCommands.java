package org.edgeha.health.internal;

import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The {@code health:} Gogo scope. {@code health:list} runs the checks on the shell's thread (up to 2 s). */
@Component(service = HealthCommands.class, property = {
        "osgi.command.scope=health",
        "osgi.command.function=list"
})
public class HealthCommands {

    static final String LIST_USAGE = "usage: health:list (no arguments)";

    @Reference
    private HealthCheckExecutor executor;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HealthPublisher publisher;

    /** {@code health:list}. */
    @Descriptor("Runs this gateway's health checks (tag edgeha) and shows each one's status and message, the overall"
            + " status first, and where the health message is published. Example: health:list")
    public String list() {
        HealthPublisher p = publisher;
        return HealthReport.run(executor).lines() + (p == null ? "\nMQTT      not published (no MQTT bridge)"
                : "\nMQTT      " + p.topic() + ", " + p.published() + " message(s) published");
    }

    /** {@code health:list} with arguments: the usage. */
    @Descriptor("Wrong or missing arguments: prints the usage")
    public String list(@Descriptor("the arguments as typed") String... wrong) {
        return LIST_USAGE;
    }
}
