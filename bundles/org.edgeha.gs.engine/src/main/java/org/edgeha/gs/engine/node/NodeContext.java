package org.edgeha.gs.engine.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import org.edgeha.gs.engine.coord.Coordinator;
import org.edgeha.gs.engine.core.EngineConfig;
import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.EngineStats;
import org.edgeha.gs.engine.core.Net;
import org.edgeha.gs.engine.core.Scheduler;

/** The parts of one gateway's engine, shared by its member role and client sessions. Guarded by the lock. */
final class NodeContext {

    final Net net;
    final EngineConfig config;
    final EngineStats stats;
    final EngineLog log;
    final Scheduler scheduler;
    final Executor callbackExecutor;
    final Locked locked;
    final Locals locals = new Locals();
    final Requests requests = new Requests();
    final Map<String, Replica> replicas = new TreeMap<>();
    final Notifier notifier = new Notifier();
    final VoteBuffer votes;
    final Applier applier;
    final MemberRole member;
    final Coordinator coordinator;
    volatile Hooks hooks = Hooks.NONE;

    NodeContext(Net net, EngineConfig config, EngineStats stats, EngineLog log, Scheduler lockedScheduler,
            Executor callbackExecutor, Locked locked) {
        this.net = net;
        this.config = config;
        this.stats = stats;
        this.log = log;
        this.scheduler = lockedScheduler;
        this.callbackExecutor = callbackExecutor;
        this.locked = locked;
        this.votes = new VoteBuffer(this);
        this.applier = new Applier(this);
        this.member = new MemberRole(this);
        this.coordinator = new Coordinator(net, config, stats, log);
    }
}
