package org.edgeha.gs.engine.behaviour;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.engine.sim.Monitor;
import org.edgeha.gs.engine.sim.RealTimeCluster;

/**
 * A provider for real-thread tests: approves every phase and records a violation when a callback runs
 * on the network thread, on an unexpected thread, or concurrently with another callback of its client.
 */
class TestProviderBase implements ProviderCallbacks {

    final String name;
    final GsClient client;
    ProviderToken token;
    final List<Long> finals = Collections.synchronizedList(new ArrayList<>());
    volatile Consumer<ApprovedNotification> onApproved;
    private final AtomicInteger inCallback;
    private final Monitor monitor;
    private final List<String> violations;
    private final String requiredThread;

    TestProviderBase(String name, GsClient client, AtomicInteger inCallback, Monitor monitor, List<String> violations,
            String requiredThread) {
        this.name = name;
        this.client = client;
        this.inCallback = inCallback;
        this.monitor = monitor;
        this.violations = violations;
        this.requiredThread = requiredThread;
    }

    long lastSeq() {
        synchronized (finals) {
            return finals.isEmpty() ? 0 : finals.get(finals.size() - 1);
        }
    }

    private void enter(String what) {
        String thread = Thread.currentThread().getName();
        if (thread.equals(RealTimeCluster.NETWORK_THREAD)) {
            violations.add(name + ": " + what + " on the network thread");
        } else if (requiredThread != null ? !thread.equals(requiredThread) : !thread.startsWith(RealTimeCluster.CALLBACK_THREAD)) {
            violations.add(name + ": " + what + " on " + thread);
        }
        if (inCallback.incrementAndGet() != 1) {
            violations.add(name + ": " + what + " concurrently with another callback of its client");
        }
    }

    private void exit() {
        inCallback.decrementAndGet();
        monitor.changed();
    }

    @Override
    public void nPhase(NPhaseNotification n) {
        enter("n-phase");
        try {
            client.vote(token, Vote.approve());
        } catch (GsException e) {
            violations.add(name + ": vote failed " + e);
        } finally {
            exit();
        }
    }

    @Override
    public void approved(ApprovedNotification n) {
        enter("approved");
        try {
            finals.add(n.proposal().seq());
            Consumer<ApprovedNotification> hook = onApproved;
            if (hook != null) {
                hook.accept(n);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void rejected(RejectedNotification n) {
        enter("rejected");
        try {
            finals.add(n.proposal().seq());
        } finally {
            exit();
        }
    }
}
