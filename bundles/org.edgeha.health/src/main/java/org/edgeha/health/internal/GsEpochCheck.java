package org.edgeha.health.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.edgeha.gs.api.GroupServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * OK while this gateway follows an established Group Services coordinator epoch
 * ({@link GroupServices#coordinatorNode()} not 0); CRITICAL while none is (requests and votes wait); WARN when Group
 * Services does not run on this gateway. Runs on Felix HC's executor threads; never blocks on the network.
 */
@Component(service = HealthCheck.class, property = {
        HealthCheck.NAME + "=" + Checks.GS_EPOCH, HealthCheck.TAGS + "=" + Checks.TAG})
public class GsEpochCheck implements HealthCheck {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GroupServices groupServices;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        GroupServices gs = groupServices;
        if (gs == null) {
            log.warn("Group Services is not running on this gateway (feature group-services)");
        } else {
            int coordinator = gs.coordinatorNode();
            if (coordinator == 0) {
                log.critical("no coordinator epoch established: Group Services requests and votes wait");
            } else {
                log.info("epoch established, coordinator node {}", coordinator);
            }
        }
        return new Result(log);
    }
}
