package org.edgeha.gs.api;

import java.util.Objects;

/**
 * The expel details of an expel protocol (GSAPI {@code gs_expel_info}).
 *
 * @param deactivatePhase the phase in which the targets' deactivate actions run
 * @param deactivateFlag the string handed to each deactivate action
 */
public record ExpelInfo(int deactivatePhase, String deactivateFlag) {

    /** Checks for {@code null}. */
    public ExpelInfo {
        Objects.requireNonNull(deactivateFlag, "deactivateFlag");
    }
}
