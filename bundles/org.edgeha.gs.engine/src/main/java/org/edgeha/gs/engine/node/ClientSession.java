package org.edgeha.gs.engine.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.edgeha.gs.api.AttributeChangeRequest;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DeactivateHandler;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.DispatchFlag;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.Request;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriberToken;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.ProtoSpec;
import org.edgeha.gs.engine.wire.RequestId;
import org.edgeha.gs.engine.wire.VoteRec;

/** A client session: checks each call under the engine lock, then hands it to the member role. */
public final class ClientSession implements GsClient {

    private final NodeContext ctx;
    private final ClientOptions options;
    private final CallbackQueue queue;
    private final Pinger pinger;
    private volatile boolean closed;

    ClientSession(NodeContext ctx, ClientOptions options, CallbackQueue queue) {
        this.ctx = ctx;
        this.options = options;
        this.queue = queue;
        this.pinger = new Pinger(ctx, this, options.responsiveness());
    }

    void start() {
        pinger.start();
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public int nodeNumber() {
        return ctx.config.nodeNumber();
    }

    ClientOptions options() {
        return options;
    }

    boolean isClosed() {
        return closed;
    }

    void post(Runnable callback) {
        queue.post(callback);
    }

    DeactivateHandler deactivateHandler() {
        return options.deactivateHandler().orElse(DeactivateHandler.SUCCEED);
    }

    void delayedError(DelayedErrorNotification n) {
        queue.post(() -> {
            options.delayedErrorCallback().ifPresent(cb -> cb.delayedError(n));
            ctx.hooks.delayedErrorCallbacks(options.name()).forEach(cb -> cb.delayedError(n));
            if (options.delayedErrorCallback().isEmpty() && ctx.hooks.delayedErrorCallbacks(options.name()).isEmpty()) {
                ctx.log.warn("Group Services: delayed error for client " + options.name() + " with no callback: " + n);
            }
        });
    }

    void providerEnded(LocalProvider p) {
        queue.post(() -> ctx.hooks.providerEnded(options.name(), p.token));
    }

    // ---- providers ----

    @Override
    public ProviderToken join(JoinRequest r) {
        return ctx.locked.call(() -> {
            open();
            Checks.group(r.group());
            Checks.param(r.instance() >= 0, "negative instance number " + r.instance());
            Checks.name(r.localName(), "local name");
            Checks.attributes(r.attributes());
            checkGroupLimit(r.group());
            Replica known = ctx.replicas.get(r.group());
            long providers = (known == null ? 0 : known.view.members().size()) + ctx.locals.joining(r.group());
            int maxProviders = ctx.config.maxProvidersPerGroup();
            Checks.limit(providers < maxProviders, "cannot join " + r.group() + " with " + providers + " providers",
                    "maxProvidersPerGroup", maxProviders);
            LocalProvider p = new LocalProvider(new ProviderToken(ctx.locals.newToken()), this, r,
                    new ProviderId(ctx.config.nodeNumber(), r.instance()), ctx.net.self().incarnation());
            ctx.locals.providers.put(p.token.value(), p);
            boolean duplicate = ctx.locals.providers(r.group()).stream()
                    .anyMatch(o -> o != p && o.isClaimed() && o.id.equals(p.id));
            if (duplicate) {
                p.status = LocalProvider.Status.GONE;
                ctx.locals.forgetIfDone(p);
                ctx.notifier.delayedError(this, p.token, r.group(), ReturnCode.DUPLICATE_INSTANCE_NUMBER, r);
                providerEnded(p); // as for a join refused by the coordinator: a whiteboard provider is detached
                return p.token;
            }
            RequestId id = ctx.requests.newId(ctx.net.self());
            p.joinRequest = id;
            ProtoSpec spec = new ProtoSpec(ProtocolType.JOIN, List.of(id), null, r.attributes().systemPhases(), 0,
                    List.of(p.rec()), List.of(), null, null, r.attributes(), 0, "");
            ctx.member.submit(new Requests.Pending(id, Requests.Kind.JOIN, r.group(),
                    e -> new Msg.Propose(e, r.group(), spec), p, null, r));
            return p.token;
        });
    }

    @Override
    public void leave(ProviderToken token, LeaveRequest r) {
        propose(token, r, r.voting(), p -> spec(p, ProtocolType.LEAVE, r.voting())
                .leaves(List.of(new LeaveInfo(p.id, LeaveReason.LEFT, r.leaveCode()))).build());
    }

    @Override
    public void expel(ProviderToken token, ExpelRequest r) {
        propose(token, r, r.voting(), p -> {
            Checks.param(!r.expelList().isEmpty() && r.expelList().size() <= org.edgeha.gs.api.GsLimits.MAX_EXPEL_LIST,
                    "expel list of " + r.expelList().size());
            Checks.name(r.deactivateFlag(), "deactivate flag");
            boolean phaseOk = r.deactivatePhase() >= 1
                    && (r.voting().phases() == org.edgeha.gs.api.NumPhases.N || r.deactivatePhase() == 1);
            if (!phaseOk) {
                throw new GsException(ReturnCode.INVALID_DEACTIVATE_PHASE, "deactivate phase " + r.deactivatePhase());
            }
            return spec(p, ProtocolType.EXPEL, r.voting())
                    .leaves(r.expelList().stream().distinct().map(id -> new LeaveInfo(id, LeaveReason.EXPELLED, 0)).toList())
                    .deactivate(r.deactivatePhase(), r.deactivateFlag()).build();
        });
    }

    @Override
    public void changeStateValue(ProviderToken token, StateChangeRequest r) {
        propose(token, r, r.voting(), p -> {
            Checks.state(r.newState());
            return spec(p, ProtocolType.STATE_CHANGE, r.voting()).state(r.newState()).build();
        });
    }

    @Override
    public void sendMessage(ProviderToken token, MessageRequest r) {
        propose(token, r, r.voting(), p -> {
            Checks.message(r.message());
            return spec(p, ProtocolType.MESSAGE, r.voting()).message(r.message()).build();
        });
    }

    @Override
    public void changeAttributes(ProviderToken token, AttributeChangeRequest r) {
        propose(token, r, r.voting(), p -> {
            Checks.attributes(r.newAttributes());
            Replica rep = ctx.replicas.get(p.group());
            if (rep != null && !rep.view.attrs().sourceGroup().equals(r.newAttributes().sourceGroup())) {
                throw new GsException(ReturnCode.BAD_GROUP_ATTRIBUTES, "the source group cannot change");
            }
            return spec(p, ProtocolType.ATTRIBUTE_CHANGE, r.voting()).attrs(r.newAttributes()).build();
        });
    }

    private SpecBuilder spec(LocalProvider p, ProtocolType type, Voting voting) {
        return new SpecBuilder(type, ctx.requests.newId(ctx.net.self()), p.id, voting);
    }

    private void propose(ProviderToken token, Request r, Voting voting, Function<LocalProvider, ProtoSpec> build) {
        ctx.locked.run(() -> {
            open();
            LocalProvider p = provider(token);
            ProtoSpec spec = build.apply(p);
            if (p.status != LocalProvider.Status.MEMBER) {
                throw new GsException(ReturnCode.NOT_A_MEMBER, p.token + " has not joined " + p.group() + " yet");
            }
            Replica rep = ctx.replicas.get(p.group());
            if (rep != null && rep.inflight != null) {
                throw new GsException(ReturnCode.COLLIDE, "protocol " + rep.inflight.seq() + " is running in " + p.group());
            }
            if (ctx.requests.proposalPending(p.group())) {
                throw new GsException(ReturnCode.COLLIDE, "a proposal of this gateway for " + p.group() + " is in flight");
            }
            String group = p.group();
            ctx.member.submit(new Requests.Pending(spec.requests().get(0), Requests.Kind.PROPOSAL, group,
                    e -> new Msg.Propose(e, group, spec), p, null, r));
        });
    }

    @Override
    public void vote(ProviderToken token, Vote v) {
        ctx.locked.run(() -> {
            open();
            LocalProvider p = provider(token);
            v.proposedState().ifPresent(Checks::state);
            v.message().ifPresent(Checks::message);
            Replica rep = ctx.replicas.get(p.group());
            if (p.awaitSeq < 0 || rep == null || rep.inflight == null || rep.inflight.seq() != p.awaitSeq
                    || rep.inflight.phase() != p.awaitPhase) {
                throw new GsException(ReturnCode.VOTE_NOT_EXPECTED, "no phase waits for a vote of " + token);
            }
            long seq = p.awaitSeq;
            p.awaitSeq = -1;
            ctx.votes.add(p.group(), seq, p.awaitPhase, new VoteRec(p.id, v.value(), v.proposedState().orElse(null),
                    v.message().orElse(null), v.defaultVote().orElse(null), VoteRec.NOT_DEACTIVATE));
        });
    }

    @Override
    public void goodbye(ProviderToken token) {
        if (queue.isCallbackThread()) {
            throw new IllegalStateException("goodbye() would wait for this client's own callbacks; use goodbyeAsync()");
        }
        goodbyeAsync(token).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<Void> goodbyeAsync(ProviderToken token) {
        return ctx.locked.call(() -> {
            open();
            LocalProvider p = provider(token);
            p.goodbye = new CompletableFuture<>();
            leaveAsFailure(List.of(p), LeaveReason.PROVIDER_SAID_GOODBYE);
            return p.goodbye.minimalCompletionStage();
        });
    }

    /** Goodbye and quit: silent at once, removed later by one failure-leave (providers of one group). */
    private void leaveAsFailure(List<LocalProvider> providers, LeaveReason reason) {
        List<LeaveInfo> leaves = new java.util.ArrayList<>();
        for (LocalProvider p : providers) {
            p.silenced = true;
            p.awaitSeq = -1;
            if (p.status == LocalProvider.Status.JOINING && p.joinRequest != null) {
                ctx.requests.remove(p.joinRequest); // withdrawn; the coordinator drops it or fails the joiner
            }
            p.status = LocalProvider.Status.GONE;
            p.removalPending = true;
            leaves.add(new LeaveInfo(p.id, reason, 0));
        }
        RequestId id = ctx.requests.newId(ctx.net.self());
        String group = providers.get(0).group();
        ctx.member.submit(new Requests.Pending(id, Requests.Kind.FAILED, group,
                e -> new Msg.Failed(e, group, leaves, id), providers.get(0), null, null, List.copyOf(providers)));
    }

    // ---- subscribers ----

    @Override
    public SubscriberToken subscribe(SubscribeRequest r) {
        return ctx.locked.call(() -> {
            open();
            Checks.group(r.group());
            Checks.param(!r.flags().isEmpty(), "no subscription flags");
            checkGroupLimit(r.group());
            LocalSubscriber s = new LocalSubscriber(new SubscriberToken(ctx.locals.newToken()), this, r);
            ctx.locals.subscribers.put(s.token.value(), s);
            resubscribe(s);
            return s.token;
        });
    }

    /** A group this gateway is not in yet counts against {@code maxGroups}. */
    private void checkGroupLimit(String group) {
        java.util.Set<String> groups = ctx.locals.liveGroups();
        int max = ctx.config.maxGroups();
        Checks.limit(groups.contains(group) || groups.size() < max,
                "cannot enter " + group + ": this gateway is in " + groups.size() + " groups", "maxGroups", max);
    }

    void resubscribe(LocalSubscriber s) {
        RequestId id = ctx.requests.newId(ctx.net.self());
        s.pending = id;
        String group = s.group();
        ctx.member.submit(new Requests.Pending(id, Requests.Kind.SUBSCRIBE, group,
                e -> new Msg.Subscribe(e, group, id), null, s, s.request));
    }

    @Override
    public void unsubscribe(SubscriberToken token) {
        ctx.locked.run(() -> {
            open();
            LocalSubscriber s = ctx.locals.subscribers.get(token.value());
            if (s == null || s.client != this) {
                throw new GsException(ReturnCode.BAD_MEMBER_TOKEN, token + " is not a subscription of this client");
            }
            end(s);
        });
    }

    private void end(LocalSubscriber s) {
        ctx.applier.subscriptionEnded(s);
    }

    // ---- session ----

    @Override
    public int dispatch(DispatchFlag flag) {
        if (!queue.isExplicit() || queue.isCallbackThread()) {
            throw new GsException(ReturnCode.NOT_OK, queue.isExplicit() ? "dispatch() from inside a callback"
                    : "client " + name() + " has its callbacks run by the engine");
        }
        return queue.dispatch(flag == DispatchFlag.BLOCKING);
    }

    @Override
    public void quit() {
        ctx.locked.run(() -> {
            if (closed) {
                return;
            }
            closed = true;
            java.util.Map<String, List<LocalProvider>> byGroup = new java.util.TreeMap<>();
            for (LocalProvider p : List.copyOf(ctx.locals.providers.values())) {
                if (p.client == this && p.isLive()) {
                    byGroup.computeIfAbsent(p.group(), g -> new java.util.ArrayList<>()).add(p);
                }
            }
            byGroup.values().forEach(ps -> leaveAsFailure(ps, LeaveReason.CLIENT_QUIT)); // one failure event per group
            for (LocalSubscriber s : List.copyOf(ctx.locals.subscribers.values())) {
                if (s.client == this) {
                    end(s);
                }
            }
            pinger.stop();
            queue.close();
        });
    }

    private void open() {
        if (closed) {
            throw new GsException(ReturnCode.NO_INIT, "client " + name() + " has quit");
        }
    }

    private LocalProvider provider(ProviderToken token) {
        LocalProvider p = ctx.locals.providers.get(token.value());
        if (p == null || p.client != this || !p.isLive()) {
            throw new GsException(ReturnCode.BAD_MEMBER_TOKEN, token + " is not a live provider of this client");
        }
        return p;
    }

    @Override
    public String toString() {
        return "GsClient[" + name() + "]";
    }
}
