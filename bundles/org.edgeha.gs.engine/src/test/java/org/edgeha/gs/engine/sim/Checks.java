package org.edgeha.gs.engine.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Set;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.Notification;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.api.SubscriptionNotification;

/** Invariants of what one provider or subscriber was told. */
public final class Checks {

    private Checks() {
    }

    /**
     * A provider's protocol notifications: final notifications have consecutive sequence numbers, each
     * exactly once; n-phase notifications belong to the next protocol, with increasing phases.
     */
    public static void providerStream(String who, List<Notification> received, String context) {
        long lastFinal = -1;
        long nphaseSeq = -1;
        int lastPhase = 0;
        for (Notification n : received) {
            if (n instanceof NPhaseNotification p) {
                long seq = p.proposal().seq();
                if (lastFinal >= 0 && seq != lastFinal + 1) {
                    fail(who + ": n-phase for seq " + seq + " after final " + lastFinal + "\n" + context);
                }
                if (seq == nphaseSeq && p.proposal().phase() <= lastPhase) {
                    fail(who + ": phase " + p.proposal().phase() + " after " + lastPhase + " in seq " + seq + "\n" + context);
                }
                nphaseSeq = seq;
                lastPhase = p.proposal().phase();
            } else if (n instanceof ApprovedNotification || n instanceof RejectedNotification) {
                long seq = n instanceof ApprovedNotification a ? a.proposal().seq()
                        : ((RejectedNotification) n).proposal().seq();
                if (lastFinal >= 0 && seq != lastFinal + 1) {
                    fail(who + ": final notification for seq " + seq + " after " + lastFinal + " (gap or duplicate)\n"
                            + context);
                }
                if (nphaseSeq >= 0 && nphaseSeq != seq && nphaseSeq > lastFinal) {
                    fail(who + ": n-phase seq " + nphaseSeq + " never finished; got final " + seq + "\n" + context);
                }
                lastFinal = seq;
                lastPhase = 0;
            }
        }
    }

    /**
     * A subscription: increasing sequence numbers, INITIAL first, at most one DISSOLVED, last. An
     * INITIAL after the subscriber's gateway came back with a new identity (its peers had declared it
     * failed) starts the sequence afresh: what the gateway saw while cut off may have been discarded.
     */
    public static void subscriberStream(String who, List<SubscriptionNotification> received,
            List<Long> incarnations, String context) {
        long last = -1;
        boolean dissolved = false;
        for (int i = 0; i < received.size(); i++) {
            SubscriptionNotification n = received.get(i);
            assertTrue(who + ": notification after DISSOLVED\n" + context, !dissolved);
            if (i == 0) {
                assertTrue(who + ": first notification is not INITIAL\n" + context,
                        n.events().contains(SubscriptionEvent.INITIAL));
            } else if (n.events().contains(SubscriptionEvent.INITIAL)
                    && !incarnations.get(i).equals(incarnations.get(i - 1))) {
                last = n.seq(); // the gateway was declared failed and came back: a new start
            } else if (n.events().contains(SubscriptionEvent.INITIAL) || n.events().equals(Set.of(SubscriptionEvent.DISSOLVED))) {
                assertTrue(who + ": restarted at seq " + n.seq() + " after " + last + "\n" + context, n.seq() >= last);
            } else {
                assertTrue(who + ": seq " + n.seq() + " after " + last + "\n" + context, n.seq() > last);
            }
            dissolved = n.events().contains(SubscriptionEvent.DISSOLVED);
            last = n.seq();
        }
    }

    public static void equal(String what, Object expected, Object actual, String context) {
        assertEquals(what + "\n" + context, expected, actual);
    }
}
