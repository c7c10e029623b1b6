package org.edgeha.health.internal;

import java.util.List;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * OK when every MQTT bridge (the gateway's {@code default} connection and any other) is CONNECTED; CRITICAL for one
 * that is not, with its state and last error, or when there is no bridge at all. Runs on Felix HC's executor threads;
 * never blocks ({@link MqttBridge#status()} is a snapshot).
 */
@Component(service = HealthCheck.class, property = {
        HealthCheck.NAME + "=" + Checks.MQTT_LINK, HealthCheck.TAGS + "=" + Checks.TAG})
public class MqttLinkCheck implements HealthCheck {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MqttBridge> bridges;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        List<MqttBridge> bs = bridges;
        if (bs == null || bs.isEmpty()) {
            log.critical("no MQTT bridge is running (feature mqtt)");
            return new Result(log);
        }
        for (MqttBridge b : bs) {
            MqttStatus s = b.status();
            if (s.state() == MqttStatus.State.CONNECTED) {
                log.info("{}: CONNECTED to {}", s.name(), s.broker());
            } else {
                log.critical("{}: {} ({}){}", s.name(), s.state(), s.broker(),
                        s.lastError().isEmpty() ? "" : ": " + s.lastError());
            }
        }
        return new Result(log);
    }
}
