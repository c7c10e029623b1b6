package org.edgeha.launcher;

import java.util.Locale;

/**
 * The fault suite's mode, from the system property {@code edgeha.faults}: {@code quick} (the default, what CI runs)
 * or {@code long} ({@code itests/faults-long}). Each fault test takes its counts and time bounds from here, so both
 * modes are bounded in count and time.
 */
final class FaultMode {

    /** Whether the long mode was asked for. */
    static final boolean LONG = "long".equals(System.getProperty("edgeha.faults", "quick").trim().toLowerCase(Locale.ROOT));

    private FaultMode() {
    }

    /** @return {@code quick} in the quick mode, {@code longer} in the long one */
    static int count(int quick, int longer) {
        return LONG ? longer : quick;
    }

    /** @return the mode's name, for the tests' report lines */
    static String name() {
        return LONG ? "long" : "quick";
    }
}
