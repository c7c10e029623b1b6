package com.example.pumps;

import java.time.Duration;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.api.propertytypes.GsGroupName;
import org.edgeha.gs.api.propertytypes.GsInstance;
import org.osgi.service.component.annotations.Component;

/**
 * The README's example: every gateway of a pump line runs one; they agree on the line's speed set-point.
 * A proposal is checked by every gateway in phase 1 and applied everywhere only if all accept it.
 */
@Component(service = GroupProvider.class)
@GsGroupName("pumps")
@GsInstance(1)
public class PumpSetpoint implements GroupProvider {

    private volatile GsClient client;
    private volatile ProviderToken token;
    private volatile int rpm;

    @Override
    public GroupAttributes groupAttributes() {
        return GroupAttributes.DEFAULT.withSystemVoting(NumPhases.N, Duration.ofSeconds(5));
    }

    @Override
    public void attached(GsClient client, ProviderToken token) {
        this.client = client;
        this.token = token;
    }

    /** Proposes a new set-point to the whole line (throws GsException COLLIDE if a change is running). */
    public void propose(int newRpm) {
        client.changeStateValue(token, new StateChangeRequest(Voting.nPhase(Duration.ofSeconds(2)),
                StateValue.ofUtf8(Integer.toString(newRpm))));
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        boolean ok = n.proposal().proposedState().map(s -> acceptable(s.asUtf8())).orElse(true);
        client.vote(token, ok ? Vote.approve() : Vote.reject());
    }

    @Override
    public void approved(ApprovedNotification n) {
        String s = n.proposal().currentState().asUtf8();
        if (!s.isEmpty()) {
            rpm = Integer.parseInt(s); // apply to the local drive here
        }
    }

    @Override
    public void rejected(RejectedNotification n) {
        // some gateway refused the proposal (or one was lost with the coordinator): nothing changed
    }

    public int rpm() {
        return rpm;
    }

    private static boolean acceptable(String value) {
        try {
            int v = Integer.parseInt(value);
            return v >= 0 && v <= 3_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
