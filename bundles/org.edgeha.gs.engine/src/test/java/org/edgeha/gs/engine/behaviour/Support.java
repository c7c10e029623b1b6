package org.edgeha.gs.engine.behaviour;

import java.time.Duration;
import java.util.List;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.Notification;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.sim.TestProvider;

/** Small helpers shared by the behaviour tests. */
final class Support {

    static final Voting N_PHASE = Voting.nPhase(Duration.ofSeconds(20));

    private Support() {
    }

    static StateChangeRequest state(String value) {
        return new StateChangeRequest(N_PHASE, StateValue.ofUtf8(value));
    }

    static StateChangeRequest state1(String value) {
        return new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8(value));
    }

    static MessageRequest message1(String text) {
        return new MessageRequest(Voting.ONE_PHASE, ProviderMessage.ofUtf8(text));
    }

    static void propose(TestProvider p, StateChangeRequest r) {
        p.client.changeStateValue(p.token, r);
    }

    static boolean proposedBy(Notification n, ProviderId id) {
        if (n instanceof ApprovedNotification a) {
            return a.proposal().proposedBy().map(id::equals).orElse(false);
        }
        if (n instanceof RejectedNotification r) {
            return r.proposal().proposedBy().map(id::equals).orElse(false);
        }
        return false;
    }

    /** @return the provider's final notifications for protocols after {@code afterSeq} */
    static List<String> finalsAfter(TestProvider p, long afterSeq) {
        return p.finals().stream().filter(f -> Long.parseLong(f.substring(0, f.indexOf(':'))) > afterSeq).toList();
    }
}
