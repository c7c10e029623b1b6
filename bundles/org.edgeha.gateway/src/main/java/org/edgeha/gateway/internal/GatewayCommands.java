package org.edgeha.gateway.internal;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands in the {@code edgeha:} scope, for operators. */
@Component(service = GatewayCommands.class, property = {
        "osgi.command.scope=edgeha",
        "osgi.command.function=info"
})
public class GatewayCommands {

    private final Gateway gateway;

    @Activate
    public GatewayCommands(@Reference Gateway gateway) {
        this.gateway = gateway;
    }

    /** {@code edgeha:info}: who this gateway is and whether it is ready. */
    public String info() {
        GatewaySettings s = gateway.settings();
        return String.join(System.lineSeparator(),
                "node      " + s.node(),
                "domain    " + s.domain(),
                "broker    " + s.broker(),
                "home      " + s.home(),
                "ready     " + (gateway.isReady() ? "yes, in " + gateway.startupMillis() + " ms" : "no"));
    }
}
