package org.edgeha.gs.engine.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.MergeNotification;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.Notification;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Vote;

/**
 * A provider for tests: records every notification, and votes as its {@link #voter} says (approve by
 * default; {@code null} means "do not vote now").
 */
public final class TestProvider implements ProviderCallbacks {

    public final String name;
    public final GsClient client;
    public final EventLog events;
    public ProviderToken token;
    public volatile Function<NPhaseNotification, Vote> voter = n -> Vote.approve();
    public final List<Notification> received = new ArrayList<>();
    public final List<GsException> voteErrors = new ArrayList<>();

    public TestProvider(String name, GsClient client, EventLog events) {
        this.name = name;
        this.client = client;
        this.events = events;
    }

    public TestProvider join(String group, int instance, GroupAttributes attrs) {
        token = client.join(new JoinRequest(group, instance, attrs, name, this));
        return this;
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        record(n, "n-phase " + n.proposal().protocolType() + " seq " + n.proposal().seq() + " phase " + n.proposal().phase());
        Vote v = voter.apply(n);
        if (v != null) {
            vote(v);
        }
    }

    /** Votes {@code v} after {@code millis} of (virtual) time, unless the phase closed meanwhile. */
    public void voteLater(SimCluster c, long millis, Vote v) {
        c.scheduler.schedule(millis, () -> vote(v));
    }

    /** @return the final (approved or rejected) notifications, as "seq:TYPE:approved|rejected" */
    public synchronized List<String> finals() {
        List<String> out = new ArrayList<>();
        for (Notification n : received) {
            if (n instanceof ApprovedNotification a) {
                out.add(a.proposal().seq() + ":" + a.protocolType() + ":approved");
            } else if (n instanceof RejectedNotification r) {
                out.add(r.proposal().seq() + ":" + r.protocolType() + ":rejected");
            }
        }
        return out;
    }

    public void vote(Vote v) {
        try {
            client.vote(token, v);
        } catch (GsException e) {
            voteErrors.add(e);
        }
    }

    @Override
    public void approved(ApprovedNotification n) {
        record(n, "approved " + n.protocolType() + " seq " + n.proposal().seq());
    }

    @Override
    public void rejected(RejectedNotification n) {
        record(n, "rejected " + n.protocolType() + " seq " + n.proposal().seq());
    }

    @Override
    public void announcement(AnnouncementNotification n) {
        record(n, "announcement " + n.summary() + " " + n.affected());
    }

    @Override
    public void merge(MergeNotification n) {
        record(n, "merge");
    }

    private synchronized void record(Notification n, String what) {
        received.add(n);
        events.add(name, what);
    }

    public synchronized <T extends Notification> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public synchronized <T extends Notification> T last(Class<T> type) {
        List<T> all = of(type);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    @Override
    public String toString() {
        return name + "(" + token + ")";
    }
}
