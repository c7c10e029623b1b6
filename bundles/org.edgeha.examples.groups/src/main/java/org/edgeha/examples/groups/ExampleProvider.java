package org.edgeha.examples.groups;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.MergeNotification;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.Proposal;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.VoteValue;
import org.osgi.service.log.Logger;

/**
 * A whiteboard {@link GroupProvider} that votes by its {@link VoteRule} and logs every notification it
 * receives at INFO, one line each, for example
 * {@code Example provider line1 (instance 1): n-phase seq 5 STATE_CHANGE phase 1, proposed "filling", state "idle": votes APPROVE}.
 *
 * <p>It joins with {@link org.edgeha.gs.api.GroupAttributes#DEFAULT} (the group attributes of
 * {@code gs:join}): every member must bring the group's attributes, so a provider with other
 * attributes could not share a group with the shell's provider.
 *
 * <p><b>Threads.</b> The engine calls {@link #attached} and then the notifications one at a time, in
 * protocol order, on its {@code gs-callback-N} threads; the callbacks of every whiteboard provider of
 * this gateway share one client and so one serial stream, so each returns at once (it votes inside the
 * callback). Nothing else calls this object, and its only mutable field is volatile, so it needs no
 * locks.
 */
final class ExampleProvider implements GroupProvider {

    private final ProviderSettings settings;
    private final Logger log;
    private final String name;
    private volatile GsClient client;

    ExampleProvider(ProviderSettings settings, Logger log) {
        this.settings = settings;
        this.log = log;
        this.name = "Example provider " + settings.label();
    }

    @Override
    public void attached(GsClient gsClient, ProviderToken token) {
        this.client = gsClient;
        log.info("{}: joining as {} on node {}, votes {}", name, token, gsClient.nodeNumber(), settings.rule());
    }

    @Override
    public void detached(ProviderToken token) {
        log.info("{}: membership of {} ended", name, token);
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        Proposal p = n.proposal();
        VoteValue vote = settings.rule().decide(p.proposedState());
        log.info("{}: n-phase seq {} {} phase {}, proposed {}, state {}: votes {}", name, p.seq(), n.protocolType(),
                p.phase(), p.proposedState().map(StateValue::toString).orElse("no state"), p.currentState(), vote);
        try {
            client.vote(n.token(), Vote.of(vote));
        } catch (GsException e) { // e.g. VOTE_NOT_EXPECTED: the phase's time limit passed already
            log.warn("{}: vote {} in seq {} not taken: {}", name, vote, p.seq(), e.getMessage());
        }
    }

    @Override
    public void approved(ApprovedNotification n) {
        Proposal p = n.proposal();
        log.info("{}: approved seq {} {} {}, state {}, members {}{}{}", name, p.seq(), n.protocolType(), phases(p),
                p.currentState(), p.wholeMembership(), p.providerMessage().map(m -> ", message " + m).orElse(""),
                n.summary().isEmpty() ? "" : ", " + n.summary());
    }

    @Override
    public void rejected(RejectedNotification n) {
        Proposal p = n.proposal();
        log.info("{}: rejected seq {} {} {}, proposed {}, state stays {}, {}", name, p.seq(),
                n.protocolType(), phases(p), p.proposedState().map(StateValue::toString).orElse("no state"),
                p.currentState(), n.summary().isEmpty() ? "by a reject vote" : "because " + n.summary());
    }

    @Override
    public void announcement(AnnouncementNotification n) {
        // An announcement belongs to no protocol: it has no seq and no protocol type.
        log.info("{}: announcement {} for {}", name, n.summary(), n.affected());
    }

    @Override
    public void merge(MergeNotification n) {
        log.info("{}: merge ({}) with {}", name, n.mergeControl(), n.otherPartition());
    }

    /** In an approved or rejected notification the phase number is the number of phases run, 0 for one-phase. */
    private static String phases(Proposal p) {
        return p.phase() == 0 ? "(one-phase)" : "after " + p.phase() + (p.phase() == 1 ? " phase" : " phases");
    }
}
