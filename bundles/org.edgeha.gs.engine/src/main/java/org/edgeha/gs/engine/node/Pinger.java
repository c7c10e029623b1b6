package org.edgeha.gs.engine.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.Responsiveness;
import org.edgeha.gs.api.ResponsivenessCallback;
import org.edgeha.gs.api.ResponsivenessNotification;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.engine.core.Scheduler;

/**
 * A client's responsiveness check: a ping through the client's callback queue every interval. A ping
 * not answered within the limit (the queue is stuck, or an explicit-dispatch client does not
 * dispatch), or answered {@code false}, is announced to every group the client has members in; an
 * answer after that is announced as recovery. Nobody is ever removed for it.
 */
final class Pinger {

    private final NodeContext ctx;
    private final ClientSession client;
    private final Responsiveness check;
    private long pings;
    private long outstanding = -1;
    private boolean unresponsive;
    private Scheduler.Cancellable timer;
    private boolean stopped;

    Pinger(NodeContext ctx, ClientSession client, Responsiveness check) {
        this.ctx = ctx;
        this.client = client;
        this.check = check;
    }

    void start() {
        if (check.ping()) {
            timer = ctx.scheduler.schedule(check.interval().toMillis(), this::tick);
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        if (outstanding < 0) {
            long n = ++pings;
            outstanding = n;
            ResponsivenessNotification note = new ResponsivenessNotification(client.name(), n);
            client.post(() -> {
                ResponsivenessCallback cb = client.options().responsivenessCallback()
                        .orElse(ctx.hooks.responsivenessCallback(client.name()));
                boolean ok = cb == null || cb.ping(note);
                ctx.locked.run(() -> answered(n, ok));
            });
            ctx.scheduler.schedule(check.responseTimeLimit().toMillis(), () -> deadline(n));
        }
        timer = ctx.scheduler.schedule(check.interval().toMillis(), this::tick);
    }

    private void answered(long n, boolean ok) {
        if (n != outstanding || stopped) {
            return;
        }
        outstanding = -1;
        if (!ok) {
            missed();
        } else if (unresponsive) {
            unresponsive = false;
            announce(SummaryCode.RESPONSIVENESS_RESPONDED);
        }
    }

    private void deadline(long n) {
        if (n == outstanding && !stopped) {
            missed();
        }
    }

    private void missed() {
        if (!unresponsive) {
            unresponsive = true;
            announce(SummaryCode.RESPONSIVENESS_NO_RESPONSE);
        }
    }

    private void announce(SummaryCode code) {
        Map<String, List<ProviderId>> byGroup = new TreeMap<>();
        for (LocalProvider p : ctx.locals.providers.values()) {
            if (p.client == client && p.status == LocalProvider.Status.MEMBER) {
                byGroup.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p.id);
            }
        }
        byGroup.forEach((g, ids) -> ctx.member.announce(g, EnumSet.of(code), ids));
    }
}
