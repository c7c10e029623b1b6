package org.edgeha.itests.faults.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.Proposal;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.VoteValue;
import org.edgeha.gs.api.Voting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One provider (instance {@value #INSTANCE}) in one group, driven from the console by the fault suite:
 *
 * <ul>
 * <li>{@code fault:join <group>} joins (default attributes: default vote APPROVE);
 * <li>{@code fault:auto} approves every phase at once (the start mode), {@code fault:hold} keeps every n-phase
 * notification unanswered until {@code fault:vote approve|continue|reject} answers the oldest one, and
 * {@code fault:delay <ms>} approves each phase that much later (a provider too slow for the time limit);
 * <li>{@code fault:propose <value> <ms>} proposes an n-phase state change with that time limit per phase;
 * <li>{@code fault:held} lists the unanswered notifications; {@code fault:events [from]} every notification
 * received, numbered from 0, one line each; each is also printed on standard output as it happens
 * ({@code fault-event E<n> <event>}).
 * </ul>
 *
 * <p>Threads: callbacks on the engine's callback threads, one at a time; commands on Gogo's thread; late votes on
 * {@code fault-provider-late}. One monitor guards everything.
 */
@Component(service = FaultProvider.class, immediate = true, property = {
        "osgi.command.scope=fault",
        "osgi.command.function=join",
        "osgi.command.function=auto",
        "osgi.command.function=hold",
        "osgi.command.function=delay",
        "osgi.command.function=vote",
        "osgi.command.function=propose",
        "osgi.command.function=held",
        "osgi.command.function=events"
})
public class FaultProvider implements ProviderCallbacks {

    static final int INSTANCE = 1;
    private static final int KEPT = 2_000;

    private enum Mode { AUTO, HOLD, DELAY }

    private final GsClient client;
    private final ScheduledExecutorService late;
    private final Deque<NPhaseNotification> held = new ArrayDeque<>();
    private final List<String> events = new ArrayList<>();
    private int dropped;
    private ProviderToken token;
    private boolean member;
    private Mode mode = Mode.AUTO;
    private long delayMillis;

    @Activate
    public FaultProvider(@Reference GroupServices gs) {
        this.client = gs.init(ClientOptions.named("fault-provider").withDelayedErrorCallback(this::delayedError));
        this.late = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fault-provider-late");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        late.shutdownNow();
        client.quit();
    }

    // ---- commands ----

    public synchronized String join(String group) {
        if (member) {
            return "fault: already a member";
        }
        try {
            token = client.join(new JoinRequest(group, INSTANCE, GroupAttributes.DEFAULT, "fault", this));
            member = true;
            return "fault: joining " + group + " as " + client.nodeNumber() + "/" + INSTANCE;
        } catch (GsException e) {
            return "fault: join refused: " + e.returnCode() + " " + e.getMessage();
        }
    }

    public synchronized String auto() {
        mode = Mode.AUTO;
        return "fault: mode auto";
    }

    public synchronized String hold() {
        mode = Mode.HOLD;
        return "fault: mode hold";
    }

    public synchronized String delay(long millis) {
        mode = Mode.DELAY;
        delayMillis = millis;
        return "fault: mode delay " + millis + " ms";
    }

    public synchronized String vote(String value) {
        VoteValue v = VoteValue.valueOf(value.toUpperCase(Locale.ROOT));
        NPhaseNotification n = held.pollFirst();
        if (n == null) {
            return "fault: nothing held";
        }
        return "fault: " + cast(n, v);
    }

    public synchronized String propose(String value, long timeLimitMillis) {
        if (!member) {
            return "fault: not a member";
        }
        try {
            client.changeStateValue(token, new StateChangeRequest(Voting.nPhase(Duration.ofMillis(timeLimitMillis)),
                    StateValue.ofUtf8(value)));
            return "fault: proposed " + value;
        } catch (GsException e) {
            return "fault: propose refused: " + e.returnCode() + " " + e.getMessage();
        }
    }

    public synchronized String held() {
        if (held.isEmpty()) {
            return "fault: held none";
        }
        StringBuilder b = new StringBuilder();
        for (NPhaseNotification n : held) {
            b.append(b.length() == 0 ? "" : "\n").append("fault: held seq ").append(n.proposal().seq()).append(" phase ")
                    .append(n.proposal().phase());
        }
        return b.toString();
    }

    public synchronized String events() {
        return events(0);
    }

    public synchronized String events(int from) {
        StringBuilder b = new StringBuilder("fault: events " + (dropped + events.size()));
        for (int i = Math.max(from, dropped); i < dropped + events.size(); i++) {
            b.append("\nE").append(i).append(' ').append(events.get(i - dropped));
        }
        return b.toString();
    }

    // ---- callbacks ----

    @Override
    public synchronized void nPhase(NPhaseNotification n) {
        Proposal p = n.proposal();
        note("nphase " + p.protocolType() + " seq " + p.seq() + " phase " + p.phase() + " proposed "
                + p.proposedState().map(StateValue::toString).orElse("-") + " summary " + n.summary());
        switch (mode) {
            case AUTO -> cast(n, VoteValue.APPROVE);
            case HOLD -> held.addLast(n);
            case DELAY -> late.schedule(() -> {
                synchronized (this) {
                    note("late " + cast(n, VoteValue.APPROVE));
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void approved(ApprovedNotification n) {
        ended("approved", n.protocolType(), n.proposal(), n.summary());
    }

    @Override
    public synchronized void rejected(RejectedNotification n) {
        ended("rejected", n.protocolType(), n.proposal(), n.summary());
    }

    @Override
    public synchronized void announcement(AnnouncementNotification n) {
        note("announcement " + n.summary() + " affected " + n.affected());
        if (n.summary().contains(SummaryCode.MEMBERSHIP_LOST)) {
            member = false;
        }
    }

    private synchronized void delayedError(DelayedErrorNotification n) {
        note("delayed " + n.protocolType() + " " + n.returnCode());
    }

    // ---- helpers; the caller holds the monitor ----

    private void ended(String outcome, ProtocolType type, Proposal p, java.util.Set<SummaryCode> summary) {
        note(outcome + " " + type + " seq " + p.seq() + " state " + p.currentState() + " members " + p.wholeMembership()
                + " summary " + summary + (p.leaveInfo().isEmpty() ? "" : " leave " + p.leaveInfo().stream()
                        .map(l -> l.provider() + " " + l.reason()).toList()));
        held.removeIf(h -> h.proposal().seq() <= p.seq());
    }

    private String cast(NPhaseNotification n, VoteValue v) {
        String what = v + " in seq " + n.proposal().seq() + " phase " + n.proposal().phase();
        try {
            client.vote(n.token(), Vote.of(v));
            return "voted " + what;
        } catch (GsException e) {
            return "vote " + what + " refused: " + e.returnCode();
        }
    }

    private void note(String event) {
        // Also on standard output, the gateway's console: a test watches it there instead of polling fault:events
        // (every console command costs a gateway some heap for good, see docs/ARCHITECTURE.md, known issues).
        System.out.println("fault-event E" + (dropped + events.size()) + " " + event);
        events.add(event);
        if (events.size() > KEPT) {
            events.remove(0);
            dropped++;
        }
    }
}
