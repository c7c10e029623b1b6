package org.edgeha.gs.engine.node;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.ExpelInfo;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.Proposal;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Request;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.api.SubscriptionFlag;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Token;
import org.edgeha.gs.engine.wire.CommitRec;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.ViewRec;

/** Builds the API's notification blocks and posts them to the owning client's callback queue. */
final class Notifier {

    void nPhase(LocalProvider p, Msg.Phase ph) {
        NPhaseNotification n = new NPhaseNotification(p.token, ph.spec().type(), ph.summary(),
                Duration.ofMillis(ph.spec().timeLimitMs()), proposal(ph));
        p.client.post(() -> {
            if (!p.silenced) {
                p.request.callbacks().nPhase(n);
            }
        });
    }

    void finished(LocalProvider p, CommitRec c, ViewRec before) {
        Proposal proposal = proposal(c, before);
        if (c.approved()) {
            ApprovedNotification n = new ApprovedNotification(p.token, c.spec().type(), c.summary(), proposal);
            p.client.post(() -> {
                if (!p.silenced) {
                    p.request.callbacks().approved(n);
                }
            });
        } else {
            RejectedNotification n = new RejectedNotification(p.token, c.spec().type(), c.summary(), proposal);
            p.client.post(() -> {
                if (!p.silenced) {
                    p.request.callbacks().rejected(n);
                }
            });
        }
    }

    void announcement(LocalProvider p, Set<SummaryCode> summary, List<ProviderId> affected) {
        AnnouncementNotification n = new AnnouncementNotification(p.token, p.group(), summary, affected);
        p.client.post(() -> {
            if (!p.silenced || summary.contains(SummaryCode.MEMBERSHIP_LOST)) {
                p.request.callbacks().announcement(n);
            }
        });
    }

    void delayedError(ClientSession client, Token token, String group, ReturnCode code, Request request) {
        client.delayedError(new DelayedErrorNotification(token, group, request.protocolType(), code, request));
    }

    /** @return whether the subscription ended with this change (dissolved) */
    boolean subscription(LocalSubscriber s, long seq, ViewRec before, ViewRec after, boolean initial) {
        Set<SubscriptionFlag> flags = s.request.flags();
        EnumSet<SubscriptionEvent> events = EnumSet.noneOf(SubscriptionEvent.class);
        List<ProviderId> joined = initial ? List.of()
                : after.ids().stream().filter(id -> !before.contains(id)).toList();
        List<ProviderId> left = initial ? List.of()
                : before.ids().stream().filter(id -> !after.contains(id)).toList();
        boolean dissolved = !initial && after.members().isEmpty();
        if (initial) {
            events.add(SubscriptionEvent.INITIAL);
        } else {
            if (flags.contains(SubscriptionFlag.STATE) && !before.state().equals(after.state())) {
                events.add(SubscriptionEvent.STATE);
            }
            if (flags.contains(SubscriptionFlag.MEMBERSHIP) && (!joined.isEmpty() || !left.isEmpty())) {
                events.add(SubscriptionEvent.MEMBERSHIP);
            }
            if (flags.contains(SubscriptionFlag.DELTA_JOINS) && !joined.isEmpty()) {
                events.add(SubscriptionEvent.DELTA_JOIN);
            }
            if (flags.contains(SubscriptionFlag.DELTA_LEAVES) && !left.isEmpty()) {
                events.add(SubscriptionEvent.DELTA_LEAVE);
            }
            if (dissolved) {
                events.add(SubscriptionEvent.DISSOLVED);
            }
        }
        s.lastDelivered = after;
        if (!events.isEmpty()) {
            SubscriptionNotification n = new SubscriptionNotification(s.token, s.group(), seq, events, after.state(),
                    after.ids(), joined, left);
            s.client.post(() -> {
                if (!s.closed || dissolved) {
                    s.request.callback().subscription(n);
                }
            });
        }
        return dissolved;
    }

    /** A re-subscription (after this gateway was cut off) found the group gone: it dissolved meanwhile. */
    void dissolvedMeanwhile(LocalSubscriber s) {
        ViewRec last = s.lastDelivered;
        SubscriptionNotification n = new SubscriptionNotification(s.token, s.group(), last.seq(),
                EnumSet.of(SubscriptionEvent.DISSOLVED), last.state(), List.of(), List.of(), last.ids());
        s.client.post(() -> s.request.callback().subscription(n));
    }

    private static Proposal proposal(Msg.Phase ph) {
        ProtoSpec s = ph.spec();
        ViewRec v = ph.before();
        return new Proposal(ph.group(), ph.seq(), ph.phase(), s.type(), s.phases(), Optional.ofNullable(s.proposer()),
                v.ids(), s.changing(), v.state(), Optional.ofNullable(ph.proposedState()),
                Optional.ofNullable(s.message()), ph.votedMessages(), s.leaves(), expel(s), v.attrs(),
                proposedAttrs(s));
    }

    private static Proposal proposal(CommitRec c, ViewRec before) {
        ProtoSpec s = c.spec();
        ViewRec v = c.approved() ? c.result() : before;
        StateValue proposed = c.proposedState();
        return new Proposal(v.group(), c.seq(), c.phases(), s.type(), s.phases(), Optional.ofNullable(s.proposer()),
                v.ids(), s.changing(), v.state(), Optional.ofNullable(proposed), Optional.ofNullable(s.message()),
                c.votedMessages(), s.leaves(), expel(s), v.attrs(), proposedAttrs(s));
    }

    private static Optional<ExpelInfo> expel(ProtoSpec s) {
        return s.type() == ProtocolType.EXPEL ? Optional.of(new ExpelInfo(s.deactivatePhase(), s.deactivateFlag()))
                : Optional.empty();
    }

    private static Optional<org.edgeha.gs.api.GroupAttributes> proposedAttrs(ProtoSpec s) {
        return s.type() == ProtocolType.ATTRIBUTE_CHANGE ? Optional.ofNullable(s.newAttrs()) : Optional.empty();
    }
}
