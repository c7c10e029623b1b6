package org.edgeha.gs.engine.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.edgeha.gs.api.Request;
import org.edgeha.gs.engine.wire.Epoch;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.RequestId;
import org.edgeha.gs.spi.NodeId;

/**
 * Requests this gateway sent and whose outcome it has not seen yet. Each is sent once per epoch: when
 * made (if a coordinator is established) and again after every takeover, in the order made, until a
 * commit, an error or an OK from the coordinator settles it. Guarded by the engine lock.
 */
final class Requests {

    enum Kind { JOIN, PROPOSAL, FAILED, SUBSCRIBE }

    /** One outstanding request; {@code leaving} lists the providers of a FAILED request. */
    record Pending(RequestId id, Kind kind, String group, Function<Epoch, Msg> message, LocalProvider provider,
            LocalSubscriber subscriber, Request request, List<LocalProvider> leaving) {

        Pending(RequestId id, Kind kind, String group, Function<Epoch, Msg> message, LocalProvider provider,
                LocalSubscriber subscriber, Request request) {
            this(id, kind, group, message, provider, subscriber, request, List.of());
        }
    }

    private final Map<RequestId, Pending> pending = new LinkedHashMap<>();
    private long counter;

    RequestId newId(NodeId self) {
        return new RequestId(self, ++counter);
    }

    void add(Pending p) {
        pending.put(p.id(), p);
    }

    Pending remove(RequestId id) {
        return pending.remove(id);
    }

    List<Pending> all() {
        return new ArrayList<>(pending.values());
    }

    /** @return whether a provider of this gateway has a proposal in flight for the group */
    boolean proposalPending(String group) {
        return pending.values().stream().anyMatch(p -> p.kind() == Kind.PROPOSAL && p.group().equals(group));
    }

    List<Pending> of(LocalProvider provider) {
        return pending.values().stream().filter(p -> p.provider() == provider || p.leaving().contains(provider)).toList();
    }

    void clear() {
        pending.clear();
    }
}
