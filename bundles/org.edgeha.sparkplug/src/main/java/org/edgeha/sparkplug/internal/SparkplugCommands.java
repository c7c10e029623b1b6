package org.edgeha.sparkplug.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code sparkplug:} Gogo scope. Calls never block. */
@Component(service = SparkplugCommands.class, property = {
        "osgi.command.scope=sparkplug",
        "osgi.command.function=status"
})
public class SparkplugCommands {

    static final String STATUS_USAGE = "usage: sparkplug:status (no arguments)";

    @Reference
    private SparkplugNode node;

    /** {@code sparkplug:status}. */
    @Descriptor("Shows this gateway's Sparkplug B edge node: group and node id, broker, session, bdSeq, seq, counts,"
            + " last error")
    public String status() {
        return node.status();
    }

    /** {@code sparkplug:status} with arguments: the usage. */
    @Descriptor("Wrong or missing arguments: prints the usage")
    public String status(@Descriptor("the arguments as typed") String... wrong) {
        return STATUS_USAGE;
    }
}
