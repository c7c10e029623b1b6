package org.edgeha.gateway.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.gateway.api.InfoContributor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands in the {@code edgeha:} scope, for operators. Each command carries Gogo's {@code @Descriptor}, read by
 * {@code help edgeha:info}; wrong arguments reach a {@code String...} overload that prints the usage
 * (docs/ARCHITECTURE.md, "Shell commands").
 */
@Component(service = GatewayCommands.class, property = {
        "osgi.command.scope=edgeha",
        "osgi.command.function=info"
})
public class GatewayCommands {

    private final Gateway gateway;

    /** The parts that add lines (the MQTT bridge: broker in use, link, incarnation); DS keeps the list current. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<InfoContributor> contributors = List.of();

    @Activate
    public GatewayCommands(@Reference Gateway gateway) {
        this.gateway = gateway;
    }

    static final String INFO_USAGE = "usage: edgeha:info (no arguments)";

    /** {@code edgeha:info}: who this gateway is, what it is connected to, and whether it is ready. */
    @Descriptor("Shows this gateway's node, domain, broker URIs in use, MQTT link, incarnation, home and whether it is"
            + " ready. Example: edgeha:info")
    public String info() {
        GatewaySettings s = gateway.settings();
        Map<String, String> contributed = new LinkedHashMap<>();
        for (InfoContributor contributor : contributors) {
            try {
                contributor.info().forEach(contributed::putIfAbsent);
            } catch (RuntimeException e) {
                contributed.putIfAbsent("error", contributor.getClass().getName() + ": " + e.getMessage());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line("node", Integer.toString(s.node())));
        lines.add(line("domain", s.domain()));
        if (!contributed.containsKey(InfoContributor.BROKER)) {
            // edgeha.broker is only what the MQTT bridge starts from: without the bridge, say so
            lines.add(line(InfoContributor.BROKER, s.broker() + " (the edgeha.broker setting; no MQTT bridge is running)"));
        }
        contributed.forEach((label, value) -> lines.add(line(label, value)));
        lines.add(line("home", s.home().toString()));
        lines.add(line("ready", gateway.isReady() ? "yes, in " + gateway.startupMillis() + " ms" : "no"));
        return String.join(System.lineSeparator(), lines);
    }

    /** {@code edgeha:info} with arguments: the usage. */
    @Descriptor("Wrong or missing arguments: prints the usage")
    public String info(@Descriptor("the arguments as typed") String... wrong) {
        return INFO_USAGE;
    }

    private static String line(String label, String value) {
        return String.format("%-9s %s", label, value); // "node      9": scripts and tests read these columns
    }
}
