package org.edgeha.gs.engine.osgi;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.MergeNotification;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.SummaryCode;

/**
 * A whiteboard {@link GroupProvider} joined by the engine: forwards its notifications, hands it the
 * client and token before the first one, and remembers whether it lost its membership only because
 * this gateway was cut off (then the whiteboard joins it again).
 */
final class BoundProvider implements ProviderCallbacks {

    final GroupProvider provider;
    final String group;
    final int instance;
    final String localName;
    final long serviceId;
    private final GsClient client;
    private volatile ProviderToken token;
    private boolean attached;
    volatile boolean member;
    volatile boolean membershipLost;

    BoundProvider(GroupProvider provider, String group, int instance, String localName, long serviceId, GsClient client) {
        this.provider = provider;
        this.group = group;
        this.instance = instance;
        this.localName = localName;
        this.serviceId = serviceId;
        this.client = client;
    }

    void token(ProviderToken t) {
        token = t;
    }

    ProviderToken token() {
        return token;
    }

    /**
     * The join's first notification can run on a callback thread before {@code join()} has returned the
     * token to the whiteboard (a group on this gateway alone approves at once): take the token from the
     * notification, so that {@code attached} never hands over {@code null}.
     */
    private synchronized void attachOnce(ProviderToken fromNotification) {
        if (token == null) {
            token = fromNotification;
        }
        if (!attached) {
            attached = true;
            provider.attached(client, token);
        }
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        attachOnce(n.token());
        provider.nPhase(n);
    }

    @Override
    public void approved(ApprovedNotification n) {
        attachOnce(n.token());
        ProviderId self = new ProviderId(client.nodeNumber(), instance);
        member = n.proposal().wholeMembership().contains(self);
        if (n.protocolType() == org.edgeha.gs.api.ProtocolType.FAILURE_LEAVE && n.proposal().leaveInfo().stream()
                .anyMatch(l -> l.provider().equals(self) && l.reason() == org.edgeha.gs.api.LeaveReason.NODE_FAILED)) {
            // Removed because this gateway was declared failed while cut off (the commit reached it before its
            // new identity did): like MEMBERSHIP_LOST, the service is still there and joins again.
            membershipLost = true;
        }
        provider.approved(n);
    }

    @Override
    public void rejected(RejectedNotification n) {
        attachOnce(n.token());
        provider.rejected(n);
    }

    @Override
    public void announcement(AnnouncementNotification n) {
        attachOnce(n.token());
        if (n.summary().contains(SummaryCode.MEMBERSHIP_LOST)) {
            membershipLost = true;
        }
        provider.announcement(n);
    }

    @Override
    public void merge(MergeNotification n) {
        attachOnce(n.token());
        provider.merge(n);
    }
}
