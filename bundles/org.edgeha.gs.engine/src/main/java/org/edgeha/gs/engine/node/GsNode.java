package org.edgeha.gs.engine.node;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DispatchMode;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.Net;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.engine.link.ReliableLinks;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.engine.wire.MsgCodec;
import org.edgeha.gs.engine.wire.WireFormatException;
import org.edgeha.gs.spi.GsTransport;
import org.edgeha.gs.spi.NodeId;
import org.edgeha.gs.spi.TransportListener;

/**
 * The Group Services engine of one gateway: plain Java, no OSGi. One lock guards all engine state;
 * transport events, timers and client calls take it briefly and never run user code under it.
 * Callbacks go to each client's queue; messages to this gateway itself are delivered after the
 * current event, so no handler re-enters another.
 */
public final class GsNode implements GroupServices, Net, Locked {

    private final Object lock = new Object();
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final GsTransport transport;
    private final Scheduler rawScheduler;
    private final Scheduler lockedScheduler;
    private final Executor callbackExecutor;
    private final EngineConfig config;
    private final EngineStats stats = new EngineStats();
    private final EngineLog log;
    private final ReliableLinks links;
    private final NodeContext ctx;
    private final List<ClientSession> clients = new java.util.ArrayList<>();
    private Set<NodeId> up = Set.of();
    private final Map<Integer, Long> deadUpTo = new TreeMap<>();
    private NodeId self;
    private int depth;
    private volatile boolean stopped;

    public GsNode(EngineConfig config, GsTransport transport, Scheduler scheduler, Executor callbackExecutor,
            EngineLog log) {
        this.config = config;
        this.transport = transport;
        this.rawScheduler = scheduler;
        this.callbackExecutor = callbackExecutor;
        this.log = log;
        this.self = transport.localNode();
        if (self.node() != config.nodeNumber()) {
            throw new IllegalArgumentException("transport is for node " + self.node() + ", engine for " + config.nodeNumber());
        }
        this.lockedScheduler = new Scheduler() {
            @Override
            public long nowMillis() {
                return rawScheduler.nowMillis();
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return rawScheduler.schedule(delayMillis, () -> input(task));
            }
        };
        this.links = new ReliableLinks(transport, lockedScheduler, config, stats, log, new ReliableLinks.Upcalls() {
            @Override
            public void deliver(NodeId from, byte[] payload) {
                dispatch(from, payload);
            }

            @Override
            public void superseded(NodeId old) {
                markDead(old);
                ctx.member.nodeDown(old);
                ctx.coordinator.superseded(old);
            }
        });
        this.ctx = new NodeContext(this, config, stats, log, lockedScheduler, callbackExecutor, this);
    }

    /** Connects the transport; the engine works once it reports presence. */
    public void start() {
        run(() -> {
            links.reset(self);
            ctx.member.watch();
        });
        transport.subscribe(ReliableLinks.topicFor(config.nodeNumber()));
        transport.start(new Listener());
    }

    /** Ends every client (their providers leave as failures), then stops the transport. */
    public void stop() {
        List<ClientSession> all;
        synchronized (lock) {
            all = List.copyOf(clients);
        }
        all.forEach(ClientSession::quit);
        stopped = true;
        transport.stop();
    }

    public EngineStats stats() {
        return stats;
    }

    /** Installs the whiteboard's extension points. */
    public void hooks(Hooks hooks) {
        ctx.hooks = hooks;
    }

    // ---- GroupServices ----

    @Override
    public GsClient init(ClientOptions options) {
        if (options.name().length() > org.edgeha.gs.api.GsLimits.MAX_NAME_LENGTH) {
            throw new GsException(ReturnCode.BAD_PARAMETER, "client name longer than 64 characters");
        }
        return call(() -> {
            if (stopped) {
                throw new GsException(ReturnCode.NOT_OK, "the engine is stopped");
            }
            clients.removeIf(ClientSession::isClosed);
            if (clients.size() >= config.maxClients()) {
                throw new GsException(ReturnCode.LIMIT_REACHED, "cannot open client " + options.name() + ": the limit of "
                        + config.maxClients() + " client sessions (maxClients of org.edgeha.gs.engine) is reached");
            }
            CallbackQueue q = new CallbackQueue(options.dispatchMode() == DispatchMode.EXPLICIT ? null : callbackExecutor,
                    log);
            ClientSession c = new ClientSession(ctx, options, q);
            clients.add(c);
            c.start();
            return c;
        });
    }

    @Override
    public int nodeNumber() {
        return config.nodeNumber();
    }

    @Override
    public List<GroupView> groups() {
        return call(() -> ctx.replicas.values().stream().map(r -> r.toView(ctx.member.coordinatorNode())).toList());
    }

    @Override
    public Optional<GroupView> group(String group) {
        return call(() -> Optional.ofNullable(ctx.replicas.get(group)).map(r -> r.toView(ctx.member.coordinatorNode())));
    }

    @Override
    public int coordinatorNode() {
        return call(ctx.member::coordinatorNode);
    }

    // ---- Net ----

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public Set<NodeId> up() {
        return up;
    }

    @Override
    public void send(NodeId to, Msg m) {
        byte[] bytes = MsgCodec.encode(m);
        if (to.equals(self)) {
            NodeId me = self;
            local.addLast(() -> {
                if (me.equals(self)) {
                    dispatch(me, bytes);
                }
            });
        } else {
            links.send(to, bytes);
        }
    }

    @Override
    public Scheduler scheduler() {
        return lockedScheduler;
    }

    @Override
    public boolean isDead(NodeId n) {
        Long dead = deadUpTo.get(n.node());
        return dead != null && n.incarnation() <= dead;
    }

    private void markDead(NodeId n) {
        deadUpTo.merge(n.node(), n.incarnation(), Math::max);
    }

    // ---- Locked ----

    @Override
    public <T> T call(Supplier<T> work) {
        synchronized (lock) {
            depth++;
            try {
                return work.get();
            } finally {
                if (depth == 1) {
                    drainLocal();
                }
                depth--;
            }
        }
    }

    private void drainLocal() {
        Runnable r;
        while ((r = local.pollFirst()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                stats.internalErrors.incrementAndGet();
                log.error("Group Services: internal error handling a local message", e);
            }
        }
    }

    // ---- inputs ----

    private void dispatch(NodeId from, byte[] bytes) {
        Msg m;
        try {
            m = MsgCodec.decode(bytes);
        } catch (WireFormatException e) {
            stats.malformed.incrementAndGet();
            log.warn("Group Services: dropped a malformed message from " + from + ": " + e.getMessage());
            return;
        }
        if (m instanceof Msg.Promise || m instanceof Msg.PrepareNack || m instanceof Msg.LogReply
                || m instanceof Msg.Propose || m instanceof Msg.Failed || m instanceof Msg.Subscribe
                || m instanceof Msg.Unsubscribe || m instanceof Msg.AnnounceRequest || m instanceof Msg.Votes
                || m instanceof Msg.Stray) {
            ctx.coordinator.receive(from, m);
        } else {
            ctx.member.receive(from, m);
        }
    }

    private void presence(Set<NodeId> reported) {
        Map<Integer, NodeId> newest = new TreeMap<>();
        for (NodeId n : reported) {
            newest.merge(n.node(), n, (a, b) -> a.incarnation() >= b.incarnation() ? a : b);
        }
        newest.put(self.node(), self);
        Set<NodeId> now = new TreeSet<>(newest.values());
        Set<NodeId> downs = new TreeSet<>(up);
        downs.removeAll(now);
        Set<NodeId> ups = new TreeSet<>(now);
        ups.removeAll(up);
        up = java.util.Collections.unmodifiableSet(now);
        for (NodeId n : now) {
            if (n.node() != self.node() && n.incarnation() > 1) {
                markDead(new NodeId(n.node(), n.incarnation() - 1)); // older lives of a live gateway are over
            }
        }
        for (NodeId d : downs) {
            markDead(d);
            links.peerDown(d);
            ctx.member.nodeDown(d);
        }
        ups.forEach(links::peerUp);
        links.hello(ups); // a peer that came up while this gateway was away may hold messages for it
        ctx.coordinator.presence(downs, ups);
    }

    private void connected(NodeId now) {
        if (!now.equals(self)) {
            log.warn("Group Services: this gateway was declared failed by its peers; it continues as " + now);
            self = now;
            links.reset(now);
            ctx.coordinator.reset();
            ctx.member.identityChanged();
            Set<NodeId> fresh = new TreeSet<>(up);
            fresh.removeIf(n -> n.node() == now.node());
            up = java.util.Collections.unmodifiableSet(fresh); // ordered: iteration order decides send order
            presence(fresh);
        } else {
            links.hello(up);
        }
    }

    /** Runs an input under the lock; an internal error is logged and counted, never thrown at the caller. */
    private void input(Runnable work) {
        if (stopped) {
            return;
        }
        try {
            run(work);
        } catch (RuntimeException e) {
            stats.internalErrors.incrementAndGet();
            log.error("Group Services: internal error; input dropped", e);
        }
    }

    /** Serialises transport events onto the engine lock. */
    private final class Listener implements TransportListener {
        @Override
        public void connected(NodeId self, boolean resumed) {
            input(() -> GsNode.this.connected(self));
        }

        @Override
        public void disconnected() {
            log.info("Group Services: transport disconnected");
        }

        @Override
        public void presence(Set<NodeId> upNodes) {
            input(() -> GsNode.this.presence(upNodes));
        }

        @Override
        public void message(String topic, byte[] payload) {
            input(() -> links.receive(payload));
        }
    }
}
