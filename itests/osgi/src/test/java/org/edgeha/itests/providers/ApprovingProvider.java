package org.edgeha.itests.providers;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Vote;

/** A whiteboard provider that approves every vote and otherwise does nothing. */
public class ApprovingProvider implements GroupProvider {

    private volatile GsClient client;
    private volatile ProviderToken token;

    @Override
    public void attached(GsClient c, ProviderToken t) {
        client = c;
        token = t;
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        client.vote(token, Vote.approve());
    }

    @Override
    public void approved(ApprovedNotification n) {
    }

    @Override
    public void rejected(RejectedNotification n) {
    }
}
