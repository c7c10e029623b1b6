package org.edgeha.health.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ConnectionState;
import org.edgeha.recovery.api.HaConnections;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * No HA connection in recovery beyond its budget: CRITICAL for a connection seen RECOVERING for longer than
 * {@code recoveryBudgetMillis} (from the first run of this check that saw it so; the health publisher runs it every
 * few seconds), or BROKEN with its ACOUNT (recoveries over its life) used up, so that nothing will recover it; WARN for
 * a connection BROKEN after a failed recovery (the next broken operation tries again). Runs on Felix HC's executor
 * threads; never blocks.
 */
@Component(service = HealthCheck.class, configurationPid = HealthPublisher.PID, property = {
        HealthCheck.NAME + "=" + Checks.RECOVERY, HealthCheck.TAGS + "=" + Checks.TAG})
public class RecoveryCheck implements HealthCheck {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HaConnections connections;
    private volatile long budgetMillis = 30_000;
    /** coid to when a run of this check first saw it RECOVERING (monotonic ms); guarded by itself. */
    private final Map<Integer, Long> recoveringSince = new HashMap<>();

    @Activate
    @Modified
    void configure(HealthConfig config) {
        budgetMillis = Math.max(1, config.recoveryBudgetMillis());
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        HaConnections ha = connections;
        if (ha == null) {
            log.info("the recovery service is not running: no HA connection");
            return new Result(log);
        }
        long now = System.nanoTime() / 1_000_000;
        int open = 0;
        Set<Integer> recovering = new HashSet<>();
        synchronized (recoveringSince) {
            for (ConnectionInfo c : ha.connections()) {
                String name = c.name() == null || c.name().isBlank() ? "coid " + c.coid() : c.name();
                if (c.state() == ConnectionState.RECOVERING) {
                    recovering.add(c.coid());
                    long since = recoveringSince.computeIfAbsent(c.coid(), k -> now);
                    long forMillis = now - since;
                    if (forMillis > budgetMillis) {
                        log.critical("{} ({}): recovering for {} s, beyond its budget of {} s ({})", name, c.kind(),
                                forMillis / 1000, budgetMillis / 1000, c.recoveryFunction());
                    } else {
                        log.info("{} ({}): recovering for {} s", name, c.kind(), forMillis / 1000);
                    }
                } else if (c.state() == ConnectionState.BROKEN && c.acountLimit() >= 0
                        && c.acount() >= c.acountLimit()) {
                    log.critical("{} ({}): broken, its {} recoveries (ACOUNT) used up", name, c.kind(),
                            c.acountLimit());
                } else if (c.state() == ConnectionState.BROKEN && c.haAware() && !c.suspended()) {
                    log.warn("{} ({}): broken after a failed recovery ({} failed so far)", name, c.kind(),
                            c.recoveriesFailed());
                } else if (c.state() == ConnectionState.OPEN) {
                    open++;
                }
            }
            recoveringSince.keySet().retainAll(recovering);
        }
        log.info("{} connection(s) open, {} recovering", open, recovering.size());
        return new Result(log);
    }
}
