package org.edgeha.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code mqtt:} Gogo scope: connection state, broker, session, store depth and counters. Each command carries
 * Gogo's {@code @Descriptor} ({@code help mqtt:publish}); wrong or missing arguments reach a {@code String...}
 * overload that prints the usage (docs/ARCHITECTURE.md, "Shell commands").
 */
@Component(service = MqttCommands.class, property = {
        "osgi.command.scope=mqtt",
        "osgi.command.function=status",
        "osgi.command.function=publish"
})
public class MqttCommands {

    static final String STATUS_USAGE = "usage: mqtt:status (no arguments)";
    static final String PUBLISH_USAGE = "usage: mqtt:publish <topic> <text>   (quote a text with spaces:"
            + " mqtt:publish plant/line1 'pump on')";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String AS_TYPED = "the arguments as typed";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MqttBridge> bridges;

    /** {@code mqtt:status}: every managed connection. */
    @Descriptor("Shows every MQTT connection: state, broker, client id, session, store depth, direct-send queue,"
            + " incarnation, nodes online, connects and rejected inputs by reason. Example: mqtt:status")
    public String status() {
        if (bridges.isEmpty()) {
            String problem = MqttBridgeComponent.configurationProblem;
            return "no MQTT connection is running" + (problem.isEmpty() ? "" : ": " + problem);
        }
        StringBuilder out = new StringBuilder();
        for (MqttBridge bridge : bridges) {
            MqttStatus s = bridge.status();
            out.append(String.format(Locale.ROOT,
                    "%s: %s to %s as %s (session %s)%n  store: %d message(s), %d bytes; forwarded %d, dropped oldest %d,"
                            + " rejected %d, discarded at start %d%n  direct: %d waiting, %d dropped%n"
                            + "  presence: incarnation %d, %d node(s) online%n  connects %d, rejected inputs %d%s%s%n",
                    s.name(), s.state(), s.broker(), s.clientId(), s.sessionPresent() ? "resumed" : "new",
                    s.storeDepth(), s.storeBytes(), s.forwarded(), s.droppedOldest(), s.rejected(), s.discardedOnStart(),
                    s.directQueued(), s.directDropped(), s.incarnation(), s.nodesOnline(),
                    s.connects(), s.rejectedInputs(), s.rejectedByReason().isEmpty() ? "" : " " + s.rejectedByReason(),
                    s.lastError().isEmpty() ? "" : "\n  last error: " + s.lastError()));
        }
        String problem = MqttBridgeComponent.configurationProblem;
        if (!problem.isEmpty()) {
            out.append(problem).append(System.lineSeparator()); // a refused change: the operator's next thing to fix
        }
        return out.toString();
    }

    /** {@code mqtt:status} with arguments: the usage. */
    @Descriptor(WRONG)
    public String status(@Descriptor(AS_TYPED) String... wrong) {
        return STATUS_USAGE;
    }

    /** {@code mqtt:publish <topic> <text>}: store-and-forward publish on the default connection. */
    @Descriptor("Publishes a UTF-8 text on the default connection, through the store (sent once connected)."
            + " Example: mqtt:publish plant/line1/cmd 'pump on'")
    public String publish(@Descriptor("<topic> the MQTT topic, no wildcards") String topic,
            @Descriptor("<text> the payload (quote it if it has spaces)") String text) {
        MqttBridge bridge = bridges.stream().filter(b -> b.name().equals("default")).findFirst().orElse(null);
        if (bridge == null) {
            return "mqtt:publish: the default MQTT connection is not running";
        }
        try {
            bridge.publish(OutboundMessage.of(topic, text.getBytes(StandardCharsets.UTF_8)));
            return "accepted (" + bridge.status().storeDepth() + " waiting in the store)";
        } catch (PublishRejectedException e) {
            return "mqtt:publish: rejected: " + e.getMessage();
        }
    }

    /** {@code mqtt:publish} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String publish(@Descriptor(AS_TYPED) String... wrong) {
        return PUBLISH_USAGE;
    }
}
