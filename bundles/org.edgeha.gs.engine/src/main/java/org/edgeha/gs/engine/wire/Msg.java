package org.edgeha.gs.engine.wire;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;

/**
 * The group protocol's messages, carried over reliable links between gateways. Each carries the epoch
 * it belongs to: coordinator messages their coordinator's, gateway messages the epoch they were sent
 * in, so that anything from another term is recognised and dropped.
 */
public sealed interface Msg {

    Epoch epoch();

    // ---- takeover (coordinator <-> every gateway) ----

    /** A candidate asks every gateway to promise its epoch. */
    record Prepare(Epoch epoch) implements Msg {
    }

    /** A gateway refuses: it has promised a higher epoch (or is a better candidate). */
    record PrepareNack(Epoch epoch, Epoch promised) implements Msg {
    }

    /** A gateway promises the epoch and reports what it knows. */
    record Promise(Epoch epoch, List<GroupReport> groups) implements Msg {
        public Promise {
            groups = List.copyOf(groups);
        }
    }

    /**
     * A gateway has had no established coordinator for a while; {@code epoch} is the one it promised
     * (or {@code 0@itself} if none). Sent to the lowest live gateway, which prepares it again or takes
     * over above that epoch.
     */
    record Stray(Epoch epoch) implements Msg {
    }

    /** The candidate asks the gateway with the newest view for the protocols after {@code fromSeq}. */
    record FetchLog(Epoch epoch, String group, long fromSeq) implements Msg {
    }

    /** The protocols asked for, or (if they are gone from the log) the current view instead. */
    record LogReply(Epoch epoch, String group, List<CommitRec> entries, ViewRec snapshot) implements Msg {
        public LogReply {
            entries = List.copyOf(entries);
        }
    }

    /** The epoch is established at this gateway: catch up, then send requests to the new coordinator. */
    record EpochStart(Epoch epoch, List<CatchUp> catchUps) implements Msg {
        public EpochStart {
            catchUps = List.copyOf(catchUps);
        }
    }

    // ---- requests (gateway -> coordinator) ----

    /** A request that becomes a protocol: join, leave, expel, state change, message, attribute change. */
    record Propose(Epoch epoch, String group, ProtoSpec spec) implements Msg {
    }

    /** Local providers failed (goodbye, quit, bundle gone); {@code request} is set for a goodbye. */
    record Failed(Epoch epoch, String group, List<LeaveInfo> leaves, RequestId request) implements Msg {
        public Failed {
            leaves = List.copyOf(leaves);
        }
    }

    /** The gateway wants the group's approved changes for a local subscriber. */
    record Subscribe(Epoch epoch, String group, RequestId request) implements Msg {
    }

    /** The gateway has no local subscriber of the group left. */
    record Unsubscribe(Epoch epoch, String group) implements Msg {
    }

    /** The gateway asks the coordinator to announce a condition (missed responsiveness pings). */
    record AnnounceRequest(Epoch epoch, String group, Set<SummaryCode> summary, List<ProviderId> affected)
            implements Msg {
        public AnnounceRequest {
            summary = Codes.copy(summary);
            affected = List.copyOf(affected);
        }
    }

    /** Votes of one gateway's providers in one phase, aggregated. */
    record Votes(Epoch epoch, String group, long seq, int phase, List<VoteRec> votes) implements Msg {
        public Votes {
            votes = List.copyOf(votes);
        }
    }

    // ---- coordinator -> gateways ----

    /** A request ended without a protocol: an error (delayed error), or OK for a withdrawn goodbye. */
    record RequestDone(Epoch epoch, String group, RequestId request, ReturnCode code) implements Msg {
    }

    /** The group's view for a new subscription. */
    record Snapshot(Epoch epoch, String group, RequestId request, ViewRec view) implements Msg {
    }

    /**
     * A phase starts. {@code before} is the view the protocol started from; {@code voters} the providers
     * asked to vote; {@code deactivateTargets} the expel targets whose deactivate action runs in this
     * phase; {@code deactivateOnly} marks the extra step that only runs deactivate actions.
     */
    record Phase(Epoch epoch, String group, long seq, int phase, ProtoSpec spec, ViewRec before,
            StateValue proposedState, Map<ProviderId, ProviderMessage> votedMessages, List<ProviderId> voters,
            List<ProviderId> deactivateTargets, Set<SummaryCode> summary, boolean deactivateOnly) implements Msg {
        public Phase {
            votedMessages = Collections.unmodifiableMap(new TreeMap<>(votedMessages));
            voters = List.copyOf(voters);
            deactivateTargets = List.copyOf(deactivateTargets);
            summary = Codes.copy(summary);
        }
    }

    /** A protocol finished. */
    record Commit(Epoch epoch, String group, CommitRec entry) implements Msg {
    }

    /** The coordinator's recent protocols, for a gateway that just became interested in the group. */
    record LogSeed(Epoch epoch, String group, List<CommitRec> entries) implements Msg {
        public LogSeed {
            entries = List.copyOf(entries);
        }
    }

    /** An announcement to the group's providers. */
    record Announce(Epoch epoch, String group, Set<SummaryCode> summary, List<ProviderId> affected) implements Msg {
        public Announce {
            summary = Codes.copy(summary);
            affected = List.copyOf(affected);
        }
    }
}
