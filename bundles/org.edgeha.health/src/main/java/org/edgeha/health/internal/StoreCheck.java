package org.edgeha.health.internal;

import java.util.List;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * OK while every MQTT bridge's store-and-forward store is below {@code storeWarnPercent} (80 %) of its limit (messages
 * or bytes, whichever is fuller); WARN above; CRITICAL when full (the overflow policy then refuses or drops messages).
 * Runs on Felix HC's executor threads; never blocks.
 */
@Component(service = HealthCheck.class, configurationPid = HealthPublisher.PID, property = {
        HealthCheck.NAME + "=" + Checks.MQTT_STORE, HealthCheck.TAGS + "=" + Checks.TAG})
public class StoreCheck implements HealthCheck {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MqttBridge> bridges;
    private volatile int warnPercent = 80;

    @Activate
    @Modified
    void configure(HealthConfig config) {
        warnPercent = Math.max(1, Math.min(100, config.storeWarnPercent()));
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        List<MqttBridge> bs = bridges;
        if (bs == null || bs.isEmpty()) {
            log.info("no MQTT bridge, no store");
            return new Result(log);
        }
        for (MqttBridge b : bs) {
            MqttStatus s = b.status();
            double fill = s.storeFillPercent();
            String line = String.format("%s: store %.1f %% full (%d of %d messages, %d of %d bytes)", s.name(), fill,
                    s.storeDepth(), s.storeMaxMessages(), s.storeBytes(), s.storeMaxBytes());
            if (fill >= 100) {
                log.critical("{}: full", line);
            } else if (fill >= warnPercent) {
                log.warn("{}: at or above {} %", line, warnPercent);
            } else {
                log.info(line);
            }
        }
        return new Result(log);
    }
}
