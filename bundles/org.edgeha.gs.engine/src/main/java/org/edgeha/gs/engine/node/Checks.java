package org.edgeha.gs.engine.node;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateValue;

/** The synchronous parameter checks of the client calls. */
final class Checks {

    private Checks() {
    }

    static void param(boolean ok, String what) {
        if (!ok) {
            throw new GsException(ReturnCode.BAD_PARAMETER, what);
        }
    }

    /** A capacity limit: {@link ReturnCode#LIMIT_REACHED} naming the configuration property and its value. */
    static void limit(boolean ok, String what, String property, int value) {
        if (!ok) {
            throw new GsException(ReturnCode.LIMIT_REACHED, what + ": the limit of " + value + " (" + property
                    + " of org.edgeha.gs.engine) is reached");
        }
    }

    static void group(String name) {
        param(GsLimits.isValidGroupName(name), "invalid group name '" + name + "'");
    }

    static void name(String name, String what) {
        param(name.length() <= GsLimits.MAX_NAME_LENGTH, what + " longer than " + GsLimits.MAX_NAME_LENGTH);
    }

    static void state(StateValue s) {
        param(s.size() <= GsLimits.MAX_STATE_BYTES, "state value of " + s.size() + " bytes");
    }

    static void message(ProviderMessage m) {
        param(m.size() <= GsLimits.MAX_MESSAGE_BYTES, "message of " + m.size() + " bytes");
    }

    static void attributes(GroupAttributes a) {
        if (a.hasSourceGroup() && !GsLimits.isValidGroupName(a.sourceGroup())) {
            throw new GsException(ReturnCode.BAD_GROUP_ATTRIBUTES, "invalid source group '" + a.sourceGroup() + "'");
        }
    }
}
