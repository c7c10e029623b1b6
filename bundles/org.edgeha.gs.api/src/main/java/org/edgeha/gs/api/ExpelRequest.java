package org.edgeha.gs.api;

import java.util.List;
import java.util.Objects;

/**
 * GSAPI {@code ha_gs_expel_request_t}.
 *
 * @param voting phases and time limit
 * @param expelList the providers to remove ({@code gs_expel_list}), not empty
 * @param deactivatePhase the phase in which the targets' deactivate actions run
 *     ({@code gs_deactivate_phase}), 1 or more; must be 1 for a one-phase expel
 * @param deactivateFlag a string handed to each deactivate action ({@code gs_deactivate_flag})
 */
public record ExpelRequest(Voting voting, List<ProviderId> expelList, int deactivatePhase, String deactivateFlag)
        implements Request {

    /** Checks for {@code null} and copies the list. */
    public ExpelRequest {
        Objects.requireNonNull(voting, "voting");
        expelList = List.copyOf(expelList);
        Objects.requireNonNull(deactivateFlag, "deactivateFlag");
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.EXPEL;
    }
}
