package org.edgeha.gs.engine.osgi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.SubscriptionCallback;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;

/**
 * A provider (or subscriber) owned by the shell: approves every phase and keeps the last events for
 * {@code gs:view}.
 */
final class ShellProvider implements ProviderCallbacks, SubscriptionCallback {

    private static final int KEPT = 20;

    private final GsClient client;
    volatile ProviderToken token;
    /** A state to propose as soon as the join is approved ({@code gs:join <group> <state>}), or {@code null}. */
    volatile String initialState;
    private final Deque<String> events = new ArrayDeque<>();
    private volatile boolean membershipLost;

    private static final java.util.Set<org.edgeha.gs.api.ProtocolType> LEAVING = java.util.EnumSet.of(
            org.edgeha.gs.api.ProtocolType.LEAVE, org.edgeha.gs.api.ProtocolType.FAILURE_LEAVE,
            org.edgeha.gs.api.ProtocolType.EXPEL);

    /** This provider's id, to recognise the protocols that end it; {@code null} for a subscriber. */
    private final org.edgeha.gs.api.ProviderId self;
    /** A subscriber's token, {@code null} for a provider. */
    volatile org.edgeha.gs.api.SubscriberToken subscriber;
    /** The sequence number at which a watched group dissolved, or -1. */
    private volatile long dissolvedAt = -1;
    /** A subscriber's first answer: its INITIAL notification, or the delayed error that ended it. */
    private final java.util.concurrent.CompletableFuture<String> firstAnswer = new java.util.concurrent.CompletableFuture<>();
    /** Completed when this provider's join is decided: "member at seq N", or "refused (...)". */
    private final java.util.concurrent.CompletableFuture<String> joined = new java.util.concurrent.CompletableFuture<>();
    /** Completed when a leave, goodbye or expel of this provider is decided: "left", or why it was not. */
    private volatile java.util.concurrent.CompletableFuture<String> leaving = new java.util.concurrent.CompletableFuture<>();

    ShellProvider(GsClient client) {
        this(client, null);
    }

    ShellProvider(GsClient client, org.edgeha.gs.api.ProviderId self) {
        this.client = client;
        this.self = self;
    }

    private synchronized void note(String event) {
        events.addLast(event);
        while (events.size() > KEPT) {
            events.removeFirst();
        }
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** The join's own notifications can come before join() has returned the token to the shell. */
    private void learnToken(ProviderToken t) {
        if (token == null) {
            token = t;
        }
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        note("n-phase " + n.protocolType() + " seq " + n.proposal().seq() + " phase " + n.proposal().phase());
        learnToken(n.token());
        try {
            client.vote(n.token(), Vote.approve());
        } catch (GsException e) {
            note("vote failed: " + e.getMessage());
        }
    }

    @Override
    public void approved(ApprovedNotification n) {
        note("approved " + n.protocolType() + " seq " + n.proposal().seq() + " state " + n.proposal().currentState()
                + n.proposal().providerMessage().map(m -> " message " + m).orElse(""));
        learnToken(n.token());
        if (self != null && LEAVING.contains(n.protocolType()) && (n.proposal().changingMembership().contains(self)
                || n.proposal().leaveInfo().stream().anyMatch(l -> l.provider().equals(self)))) {
            membershipLost = true; // removed (e.g. failed while this gateway was cut off): over for good
            leaving.complete("removed by " + n.protocolType() + " at seq " + n.proposal().seq());
        }
        if (self != null && n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN
                && n.proposal().changingMembership().contains(self)) {
            joined.complete("member at seq " + n.proposal().seq());
        }
        if (initialState != null && n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN) {
            proposeInitialState(0);
        }
    }

    /** The state of {@code gs:join <group> <state>}: proposed once a member, again after a collision. */
    private void proposeInitialState(int attempt) {
        String state = initialState;
        if (state == null || attempt > 50) {
            return;
        }
        org.edgeha.gs.api.StateChangeRequest r = new org.edgeha.gs.api.StateChangeRequest(
                org.edgeha.gs.api.Voting.ONE_PHASE, org.edgeha.gs.api.StateValue.ofUtf8(state));
        try {
            client.changeStateValue(token, r);
            pendingInitial = r;
            initialAttempt = attempt;
            initialState = null;
        } catch (GsException e) {
            retry(attempt + 1);
        }
    }

    private volatile org.edgeha.gs.api.StateChangeRequest pendingInitial;
    private volatile int initialAttempt;

    private void retry(int attempt) {
        java.util.concurrent.CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> proposeInitialState(attempt));
    }

    /** The shell client's delayed errors: an initial state that collided at the coordinator is retried. */
    boolean delayedError(org.edgeha.gs.api.DelayedErrorNotification n) {
        org.edgeha.gs.api.StateChangeRequest r = pendingInitial;
        if (r != null && n.failingRequest() == r) {
            pendingInitial = null;
            initialState = r.newState().asUtf8();
            retry(initialAttempt + 1);
            return true;
        }
        if (n.returnCode() == org.edgeha.gs.api.ReturnCode.MEMBERSHIP_LOST
                && n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN && n.requestToken().equals(token)) {
            membershipLost = true; // its join was cut short: this gateway was declared failed meanwhile
            joined.complete("refused (" + n.returnCode() + ": this gateway was declared failed meanwhile)");
            return true;
        }
        note("delayed error " + n.returnCode() + " for " + n.protocolType());
        if (n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN && n.requestToken().equals(token)) {
            membershipLost = true; // its join was refused: it never became a member, and the shell may join anew
            joined.complete("refused (" + n.returnCode() + ")");
        } else if (n.protocolType() == org.edgeha.gs.api.ProtocolType.SUBSCRIBE) {
            firstAnswer.complete(n.returnCode().toString());
        } else if (n.protocolType() == org.edgeha.gs.api.ProtocolType.LEAVE) {
            leaving.complete("not left: " + n.returnCode());
        }
        return true;
    }

    @Override
    public void rejected(RejectedNotification n) {
        note("rejected " + n.protocolType() + " seq " + n.proposal().seq() + " " + n.summary());
        if (n.protocolType() == org.edgeha.gs.api.ProtocolType.LEAVE && self != null
                && n.proposal().changingMembership().contains(self)) {
            leaving.complete("not left: the leave was rejected (" + n.summary() + ")");
        }
        if (n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN && self != null
                && n.proposal().changingMembership().contains(self)) {
            membershipLost = true; // its own join was refused: it never became a member
            joined.complete("refused (the join was rejected: " + n.summary() + ")");
        }
    }

    /**
     * Whether the engine ended this provider: its gateway was declared failed while away
     * ({@link SummaryCode#MEMBERSHIP_LOST}), a leave, failure-leave or expel removed it, or its join was
     * rejected. It is no member and never will be again; the shell may join anew.
     */
    boolean membershipLost() {
        return membershipLost;
    }

    @Override
    public void announcement(AnnouncementNotification n) {
        if (n.summary().contains(SummaryCode.MEMBERSHIP_LOST)) {
            membershipLost = true;
        }
        note("announcement " + n.summary() + " " + n.affected());
    }

    @Override
    public void subscription(SubscriptionNotification n) {
        if (n.events().contains(org.edgeha.gs.api.SubscriptionEvent.DISSOLVED)) {
            dissolvedAt = n.seq();
            note("DISSOLVED at seq " + n.seq() + " (last members " + n.fullMembership() + ", state " + n.state() + ")");
        } else {
            note("subscription seq " + n.seq() + " " + n.events() + " state " + n.state() + " members "
                    + n.fullMembership());
        }
        firstAnswer.complete("seq " + n.seq() + ", members " + n.fullMembership() + ", state " + n.state()
                + (dissolvedAt >= 0 ? ", dissolved" : ""));
    }

    /** @return the sequence number at which the watched group dissolved, or -1 */
    long dissolvedAt() {
        return dissolvedAt;
    }

    /**
     * Waits for a subscriber's first answer.
     *
     * @return its INITIAL notification in a few words, the return code of the delayed error that ended it, or
     *     {@code null} when none came in time
     */
    String awaitFirstAnswer(long millis) {
        return await(firstAnswer, millis);
    }

    /**
     * Waits until this provider's join is decided.
     *
     * @return "member at seq N", "refused (...)", or {@code null} when nothing came in time
     */
    String awaitJoin(long millis) {
        return await(joined, millis);
    }

    /**
     * Waits until this provider's removal is decided (after {@code leave} or {@code expel} of itself).
     *
     * @return "removed by ..." once removed, "not left: ..." when refused, or {@code null} when nothing came in time
     */
    String awaitRemoval(long millis) {
        return await(leaving, millis);
    }

    /** @return the answer, the failure's text, or {@code null} when none came in time (or the wait was interrupted) */
    private static String await(java.util.concurrent.Future<String> answer, long millis) {
        try {
            return answer.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().toString();
        }
    }

    /** Forgets an earlier refused leave, before proposing another. */
    void expectRemoval() {
        if (leaving.isDone() && !membershipLost) {
            leaving = new java.util.concurrent.CompletableFuture<>();
        }
    }
}
