package org.edgeha.launcher;

import java.io.PrintStream;

/**
 * Standard output without Felix EventAdmin's "Event Task Processing Interrupted" warning. EventAdmin logs it when its
 * own threads are interrupted as it stops, with an event still in delivery; after its log tracker is closed it prints
 * it to {@code System.out} itself, so the gateway's log filter (LogFile, which keeps it out of the console during a
 * stop) never sees it. An operator can do nothing about it, and a clean stop must say nothing alarming (issue 14).
 * Everything else passes unchanged.
 */
final class EventAdminStopNoise extends PrintStream {

    static final String PREFIX = "WARNING: EventAdmin: Event Task Processing Interrupted";

    EventAdminStopNoise(PrintStream out) {
        super(out, true);
    }

    @Override
    public void println(String line) {
        if (line != null && line.startsWith(PREFIX)) {
            return;
        }
        super.println(line);
    }
}
