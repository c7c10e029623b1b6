package org.edgeha.gs.engine.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.AnnouncementNotification;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.AttributeChangeRequest;
import org.edgeha.gs.api.BatchControl;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.Notification;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.Request;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.edgeha.gs.engine.core.EngineStats;

/**
 * One randomized run: 3 to 5 gateways, several providers per gateway in one or two groups, random
 * proposals and votes (late, missing, rejecting, continuing, piggybacking), expels (also from the coordinator's
 * gateway; deactivate actions that fail, answer late or never), goodbyes, quits, crashes,
 * restarts, short and long disconnections, subscriptions; then healing, and the invariants.
 */
public final class RandomScenario {

    /** One provider slot: a (node, instance, group) that joins, leaves and joins again. */
    private final class Actor {
        final int node;
        final int instance;
        final String group;
        GsClient client;
        TestProvider provider;
        boolean ended = true;
        boolean goodbyeWaiting;

        Actor(int node, int instance, String group) {
            this.node = node;
            this.instance = instance;
            this.group = group;
        }

        ProviderId id() {
            return new ProviderId(node, instance);
        }
    }

    /** A proposal and whether it ended. */
    private static final class Made {
        final TestProvider provider;
        final Request request;
        boolean resolved;

        Made(TestProvider provider, Request request) {
            this.provider = provider;
            this.request = request;
        }
    }

    private record Sub(int node, String group, TestSubscriber subscriber, GsClient client) {
    }

    private final long seed;
    private final Random rnd;
    private final SimCluster c;
    private final List<String> groups = new ArrayList<>();
    private final Map<String, GroupAttributes> attrs = new TreeMap<>();
    private final List<Actor> actors = new ArrayList<>();
    private final List<Made> proposals = new ArrayList<>();
    private final List<Sub> subs = new ArrayList<>();
    private final Set<TestProvider> endedProviders = new java.util.HashSet<>();
    private final List<TestProvider> allProviders = new ArrayList<>();
    private final Deque<String> trace = new ArrayDeque<>();
    private final Set<Integer> crashed = new TreeSet<>();

    public RandomScenario(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed * 7919 + 17);
        int nodes = 3 + rnd.nextInt(3);
        long maxDelay = 1 + rnd.nextInt(15);
        SimFaults faults = new SimFaults(0, maxDelay, rnd.nextDouble() * 0.1, rnd.nextInt(20), 2_000, 1_000);
        this.c = new SimCluster(seed, nodes, faults);
        int groupCount = 1 + rnd.nextInt(2);
        for (int g = 0; g < groupCount; g++) {
            String name = "g" + g;
            groups.add(name);
            GroupAttributes a = GroupAttributes.DEFAULT
                    .withDefaultVote(rnd.nextInt(4) == 0 ? DefaultVote.REJECT : DefaultVote.APPROVE)
                    .withSystemVoting(rnd.nextBoolean() ? NumPhases.ONE : NumPhases.N, Duration.ofMillis(500 + rnd.nextInt(1000)))
                    .withBatchControl(BatchControl.values()[rnd.nextInt(4)]);
            if (g == 1 && rnd.nextBoolean()) {
                a = a.withSourceGroup("g0");
            }
            attrs.put(name, a);
        }
        for (int n = 1; n <= nodes; n++) {
            int perNode = 1 + rnd.nextInt(3);
            for (int i = 0; i < perNode; i++) {
                actors.add(new Actor(n, i + 1, groups.get(rnd.nextInt(groups.size()))));
            }
        }
    }

    /** What one run exercised, summed over runs by the test. */
    public static final class Tally {
        public long runs;
        public long protocols;
        public long proposals;
        public long crashes;
        public long disconnects;
        public long takeovers;
        public long membershipLost;
        public long livesEnded;
        public long duplicatesDropped;
        public long retransmitted;
        public long coordinatorExpels;

        @Override
        public String toString() {
            return runs + " runs: " + protocols + " protocols (" + proposals + " proposals accepted), " + crashes
                    + " crashes, " + disconnects + " disconnections, " + takeovers + " takeovers, " + membershipLost
                    + " memberships lost by cut-off gateways, " + livesEnded + " group lives ended by a newer one, "
                    + duplicatesDropped + " duplicate frames dropped, " + retransmitted + " frames retransmitted, "
                    + coordinatorExpels + " expels proposed on the coordinator's gateway against another's provider";
        }
    }

    private long crashes;
    private long disconnects;
    private long coordinatorExpels;

    /** Adds this run's figures to {@code t}. */
    public void tally(Tally t) {
        t.runs++;
        t.proposals += proposals.size();
        t.crashes += crashes;
        t.disconnects += disconnects;
        t.coordinatorExpels += coordinatorExpels;
        t.protocols += allProviders.stream().flatMap(p -> p.finals().stream()).distinct().count();
        t.membershipLost += allProviders.stream().filter(p -> p.received.stream().anyMatch(n ->
                n instanceof AnnouncementNotification a && a.summary().contains(SummaryCode.MEMBERSHIP_LOST))).count();
        for (var n : c.allNodes()) {
            t.takeovers += n.stats().takeovers.get();
            t.livesEnded += n.stats().livesEnded.get();
            t.duplicatesDropped += n.stats().duplicates.get();
            t.retransmitted += n.stats().retransmitted.get();
        }
    }

    public void run() {
        actors.forEach(this::join);
        while (c.scheduler.nowMillis() < 15_000) {
            c.runFor(20 + rnd.nextInt(300));
            step();
        }
        heal();
        c.runFor(20_000);
        actors.stream().filter(a -> !active(a) && !a.goodbyeWaiting).toList().forEach(this::join);
        c.runFor(40_000);
        check();
    }

    private void note(String s) {
        trace.addLast("t=" + c.scheduler.nowMillis() + " " + s);
        if (trace.size() > (Boolean.getBoolean("gs.debug") ? 100_000 : 60)) {
            trace.removeFirst();
        }
    }

    private String context() {
        return "seed " + seed + " (replay with -Dgs.seed=" + seed + ")\nlast operations:\n  "
                + String.join("\n  ", trace) + "\n" + c.describe();
    }

    // ---- operations ----

    private void step() {
        int x = rnd.nextInt(100);
        if (x < 5) {
            expelFromCoordinatorsGateway();
        } else if (x < 45) {
            propose(pick(this::active));
        } else if (x < 55) {
            join(pick(a -> !active(a) && !a.goodbyeWaiting));
        } else if (x < 59) {
            goodbye(pick(this::active));
        } else if (x < 61) {
            quit(pick(this::active));
        } else if (x < 65) {
            crash();
        } else if (x < 70) {
            restart();
        } else if (x < 78) {
            disconnect();
        } else if (x < 84) {
            subscribe();
        } else if (x < 87) {
            unsubscribe();
        }
    }

    /** @return whether the actor's provider is joined or joining, as far as the test can tell */
    private boolean active(Actor a) {
        if (a.ended) {
            return false;
        }
        if (removed(a.provider)) {
            endedProviders.add(a.provider);
            a.ended = true;
            return false;
        }
        return true;
    }

    private Actor pick(java.util.function.Predicate<Actor> p) {
        List<Actor> ok = actors.stream().filter(a -> !crashed.contains(a.node)).filter(p).toList();
        return ok.isEmpty() ? null : ok.get(rnd.nextInt(ok.size()));
    }

    private void join(Actor a) {
        if (a == null || crashed.contains(a.node)) {
            return;
        }
        if (a.client == null) {
            String name = "n" + a.node + "i" + a.instance + "-" + allProviders.size();
            a.client = c.node(a.node).init(ClientOptions.named(name).withDelayedErrorCallback(n -> delayedError(a, n))
                    .withDeactivateHandler(deactivateHandler()));
        }
        TestProvider p = new TestProvider("n" + a.node + "/" + a.instance + "#" + allProviders.size(), a.client, c.events);
        p.voter = n -> vote(p, n.protocolType());
        allProviders.add(p);
        a.provider = p;
        a.ended = false;
        note("join " + p.name + " to " + a.group);
        p.join(a.group, a.instance, currentAttrs(a.group));
    }

    /**
     * An expel target's deactivate action: mostly succeeds at once; sometimes fails, answers after a while (maybe
     * beyond the phase's time limit) or never answers. The expel must end in every case.
     */
    private org.edgeha.gs.api.DeactivateHandler deactivateHandler() {
        int kind = rnd.nextInt(10);
        long delay = rnd.nextInt(2_500);
        return r -> {
            note("deactivate " + r.group() + " phase " + r.phase() + " (" + (kind < 6 ? "succeeds" : kind < 7 ? "fails"
                    : kind < 9 ? "answers after " + delay + " ms" : "never answers") + ")");
            if (kind < 6) {
                return java.util.concurrent.CompletableFuture.completedFuture(0);
            }
            if (kind < 7) {
                return java.util.concurrent.CompletableFuture.completedFuture(1 + (int) (delay % 5));
            }
            java.util.concurrent.CompletableFuture<Integer> f = new java.util.concurrent.CompletableFuture<>();
            if (kind < 9) {
                c.scheduler.schedule(delay, () -> f.complete(0));
            }
            return f;
        };
    }

    /** The group's attributes as a live gateway sees them (attribute changes alter them), else the first. */
    private GroupAttributes currentAttrs(String group) {
        for (int n : c.nodeNumbers()) {
            GroupView v = crashed.contains(n) ? null : c.view(n, group);
            if (v != null) {
                return v.attributes();
            }
        }
        return attrs.get(group);
    }

    private Vote vote(TestProvider p, ProtocolType type) {
        double x = rnd.nextDouble();
        if (x < 0.04) {
            return null; // never votes: the time limit gives it the default
        }
        if (x < 0.10) {
            Vote late = rnd.nextBoolean() ? Vote.approve() : Vote.reject();
            int node = p.client.nodeNumber();
            var nodeNow = c.node(node);
            c.scheduler.schedule(rnd.nextInt(1500), () -> {
                if (c.node(node) == nodeNow && c.isAlive(node) && !endedProviders.contains(p)) {
                    p.vote(late);
                }
            });
            return null;
        }
        Vote v = x < 0.22 ? Vote.continueVoting() : x < 0.28 ? Vote.reject() : Vote.approve();
        if (rnd.nextDouble() < 0.1) {
            v = v.withState(StateValue.ofUtf8("v" + rnd.nextInt(1000)));
        }
        if (rnd.nextDouble() < 0.1) {
            v = v.withMessage(ProviderMessage.ofUtf8("m" + rnd.nextInt(1000)));
        }
        if (rnd.nextDouble() < 0.05) {
            v = v.withDefaultVote(rnd.nextBoolean() ? DefaultVote.APPROVE : DefaultVote.REJECT);
        }
        return v;
    }

    private Voting voting() {
        return rnd.nextInt(3) == 0 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofMillis(300 + rnd.nextInt(1200)));
    }

    private void propose(Actor a) {
        if (a == null) {
            return;
        }
        TestProvider p = a.provider;
        int x = rnd.nextInt(100);
        Request r;
        if (x < 55) {
            r = new StateChangeRequest(voting(), StateValue.ofUtf8("s" + rnd.nextInt(10_000)));
        } else if (x < 80) {
            r = new MessageRequest(voting(), ProviderMessage.ofUtf8("hello " + rnd.nextInt(100)));
        } else if (x < 88) {
            r = new AttributeChangeRequest(voting(), attrs.get(a.group)
                    .withClientVersion(1 + rnd.nextInt(3)));
        } else if (x < 94) {
            r = new LeaveRequest(voting(), rnd.nextInt(10));
        } else {
            List<Actor> others = actors.stream().filter(o -> o.group.equals(a.group) && active(o)).toList();
            Actor target = others.get(rnd.nextInt(others.size()));
            Voting v = voting();
            r = new ExpelRequest(v, List.of(target.id()), v.phases() == NumPhases.ONE ? 1 : 1 + rnd.nextInt(2), "x");
        }
        submit(p, r);
    }

    /**
     * An expel proposed by a provider on the gateway that coordinates the group, against a provider of another
     * gateway (once reported as never ending): crashes, restarts and disconnections around it move the
     * coordinator, so that every gateway's turn comes.
     */
    private void expelFromCoordinatorsGateway() {
        String g = groups.get(rnd.nextInt(groups.size()));
        int coordinator = -1;
        for (int n : c.nodeNumbers()) {
            GroupView v = crashed.contains(n) || !c.isAlive(n) ? null : c.view(n, g);
            if (v != null) {
                coordinator = v.coordinatorNode();
                break;
            }
        }
        int coord = coordinator;
        List<Actor> proposers = actors.stream().filter(a -> a.group.equals(g) && a.node == coord
                && !crashed.contains(a.node) && active(a)).toList();
        List<Actor> targets = actors.stream().filter(a -> a.group.equals(g) && a.node != coord && active(a)).toList();
        if (proposers.isEmpty() || targets.isEmpty()) {
            propose(pick(this::active));
            return;
        }
        Actor proposer = proposers.get(rnd.nextInt(proposers.size()));
        Actor target = targets.get(rnd.nextInt(targets.size()));
        Voting v = voting();
        note("expel from the coordinator's gateway " + coord + ":");
        coordinatorExpels++;
        submit(proposer.provider, new ExpelRequest(v, List.of(target.id()),
                v.phases() == NumPhases.ONE ? 1 : 1 + rnd.nextInt(2), "c"));
    }

    private void submit(TestProvider p, Request r) {
        note(p.name + " proposes " + r.protocolType());
        try {
            switch (r.protocolType()) {
                case STATE_CHANGE -> p.client.changeStateValue(p.token, (StateChangeRequest) r);
                case MESSAGE -> p.client.sendMessage(p.token, (MessageRequest) r);
                case ATTRIBUTE_CHANGE -> p.client.changeAttributes(p.token, (AttributeChangeRequest) r);
                case LEAVE -> p.client.leave(p.token, (LeaveRequest) r);
                default -> p.client.expel(p.token, (ExpelRequest) r);
            }
            proposals.add(new Made(p, r));
        } catch (GsException e) {
            note("  -> " + e.returnCode());
        }
    }

    private void delayedError(Actor a, DelayedErrorNotification n) {
        note("delayed error " + n.returnCode() + " for " + n.protocolType() + " of " + n.requestToken());
        for (Made m : proposals) {
            if (!m.resolved && m.request == n.failingRequest() && m.provider.token.equals(n.requestToken())) {
                m.resolved = true;
                return;
            }
        }
        if (a.provider != null && a.provider.token != null && a.provider.token.equals(n.requestToken())
                && n.protocolType() == ProtocolType.JOIN) {
            endedProviders.add(a.provider);
            a.ended = true;
        }
    }

    private void goodbye(Actor a) {
        if (a == null) {
            return;
        }
        TestProvider p = a.provider;
        note("goodbye " + p.name);
        endedProviders.add(p);
        a.ended = true;
        a.goodbyeWaiting = true;
        p.client.goodbyeAsync(p.token).thenRun(() -> a.goodbyeWaiting = false);
    }

    private void quit(Actor a) {
        if (a == null) {
            return;
        }
        note("quit " + a.client.name());
        endedProviders.add(a.provider);
        a.client.quit();
        a.client = null;
        a.ended = true;
    }

    private void crash() {
        List<Integer> alive = c.nodeNumbers().stream().filter(n -> !crashed.contains(n)).toList();
        if (alive.size() < 2) {
            return;
        }
        int n = alive.get(rnd.nextInt(alive.size()));
        note("crash node " + n);
        crashes++;
        c.crash(n);
        crashed.add(n);
        for (Actor a : actors) {
            if (a.node == n) {
                if (a.provider != null) {
                    endedProviders.add(a.provider);
                }
                a.ended = true;
                a.goodbyeWaiting = false;
                a.client = null;
            }
        }
        subs.removeIf(s -> s.node == n);
    }

    private void restart() {
        if (crashed.isEmpty()) {
            return;
        }
        int n = List.copyOf(crashed).get(rnd.nextInt(crashed.size()));
        note("restart node " + n);
        crashed.remove(n);
        c.start(n);
    }

    private void disconnect() {
        List<Integer> alive = c.nodeNumbers().stream().filter(n -> !crashed.contains(n) && c.network.isConnected(n)).toList();
        if (alive.isEmpty()) {
            return;
        }
        int n = alive.get(rnd.nextInt(alive.size()));
        long away = rnd.nextInt(3) == 0 ? 2_500 + rnd.nextInt(2_500) : 50 + rnd.nextInt(1_500);
        note("disconnect node " + n + " for " + away + " ms");
        disconnects++;
        c.network.disconnect(n);
        c.scheduler.schedule(away, () -> c.network.reconnect(n));
    }

    private void subscribe() {
        List<Integer> alive = c.nodeNumbers().stream().filter(n -> !crashed.contains(n)).toList();
        int n = alive.get(rnd.nextInt(alive.size()));
        String g = groups.get(rnd.nextInt(groups.size()));
        var node = c.node(n);
        TestSubscriber s = new TestSubscriber("sub" + subs.size() + "@" + n + ":" + g, () -> node.self().incarnation());
        GsClient client = c.node(n).init(ClientOptions.named("watch" + n).withDelayedErrorCallback(e -> {
            note("delayed error " + e.returnCode() + " for " + s.name);
            s.failed = true;
        }));
        s.token = client.subscribe(SubscribeRequest.all(g, s));
        note("subscribe " + s.name);
        subs.add(new Sub(n, g, s, client));
    }

    private void unsubscribe() {
        if (subs.isEmpty()) {
            return;
        }
        Sub s = subs.remove(rnd.nextInt(subs.size()));
        note("unsubscribe " + s.subscriber().name);
        s.client().quit();
    }

    private void heal() {
        note("heal");
        for (int n : c.nodeNumbers()) {
            c.network.reconnect(n);
        }
        for (int n : List.copyOf(crashed)) {
            crashed.remove(n);
            c.start(n);
        }
        c.network.faults(new SimFaults(0, 5, 0.05, 5, 2_000, 1_000));
    }

    // ---- invariants ----

    private void check() {
        String ctx = context();
        if (Boolean.getBoolean("gs.debug")) {
            for (TestProvider p : allProviders) {
                System.out.println(p.name + ":");
                c.events.matching(e -> e.who().equals(p.name)).forEach(e -> System.out.println("   " + e));
            }
            for (Sub sub : subs) {
                System.out.println(sub.subscriber().name + ":");
                sub.subscriber().received.forEach(n -> System.out.println("   " + n));
            }
        }
        for (TestProvider p : allProviders) {
            Checks.providerStream(p.name, p.received, ctx);
        }
        for (Sub s : subs) {
            Checks.subscriberStream(s.subscriber().name, s.subscriber().received, s.subscriber().incarnations, ctx);
        }
        for (int n : c.nodeNumbers()) {
            EngineStats st = c.node(n).stats();
            assertEquals("views out of step at node " + n + "\n" + ctx, 0, st.divergences.get());
            assertEquals("snapshot resyncs at node " + n + "\n" + ctx, 0, st.resyncs.get());
            assertEquals("internal errors at node " + n + "\n" + ctx, 0, st.internalErrors.get());
        }
        c.assertHealthy();
        for (String g : groups) {
            checkGroup(g, ctx);
        }
        for (Made m : proposals) {
            if (m.resolved || endedProviders.contains(m.provider) || removed(m.provider)) {
                continue;
            }
            boolean outcome = m.provider.received.stream().anyMatch(n -> finalOf(n, m));
            if (!outcome) {
                fail("proposal " + m.request.protocolType() + " of " + m.provider.name + " never ended\n" + ctx);
            }
        }
    }

    private boolean finalOf(Notification n, Made m) {
        if (n instanceof ApprovedNotification a) {
            return a.proposal().proposedBy().map(id -> id.equals(idOf(m.provider))).orElse(false)
                    && a.protocolType() == m.request.protocolType();
        }
        if (n instanceof RejectedNotification r) {
            return r.proposal().proposedBy().map(id -> id.equals(idOf(m.provider))).orElse(false)
                    && r.protocolType() == m.request.protocolType();
        }
        return false;
    }

    private ProviderId idOf(TestProvider p) {
        for (Actor a : actors) {
            if (a.provider == p || a.node == p.client.nodeNumber() && p.name.startsWith("n" + a.node + "/" + a.instance + "#")) {
                return a.id();
            }
        }
        throw new IllegalStateException();
    }

    /** @return whether the provider was told it left (leave, expel, failure-leave) or lost its membership */
    private boolean removed(TestProvider p) {
        ProviderId id = idOf(p);
        for (Notification n : p.received) {
            if (n instanceof ApprovedNotification a && !a.proposal().wholeMembership().contains(id)) {
                return true;
            }
            if (n instanceof RejectedNotification r && r.protocolType() == ProtocolType.JOIN
                    && r.proposal().changingMembership().contains(id)) {
                return true;
            }
            if (n instanceof AnnouncementNotification an && an.summary().contains(SummaryCode.MEMBERSHIP_LOST)) {
                return true;
            }
        }
        return false;
    }

    private void checkGroup(String g, String ctx) {
        GroupView reference = null;
        for (int n : c.nodeNumbers()) {
            GroupView v = c.view(n, g);
            if (v == null) {
                continue;
            }
            assertTrue("protocol still running in " + g + " at node " + n + ": " + v + "\n" + ctx, v.running().isEmpty());
            if (reference == null) {
                reference = v;
            } else {
                assertEquals("seq of " + g + " at node " + n + "\n" + ctx, reference.seq(), v.seq());
                assertEquals("state of " + g + " at node " + n + "\n" + ctx, reference.state(), v.state());
                assertEquals("members of " + g + " at node " + n + "\n" + ctx, reference.members(), v.members());
            }
        }
        Set<ProviderId> surviving = new TreeSet<>();
        for (Actor a : actors) {
            if (a.group.equals(g) && !a.ended && member(a)) {
                surviving.add(a.id());
            }
        }
        if (surviving.isEmpty()) {
            assertNull("group " + g + " has no surviving provider but a view\n" + ctx, reference);
            return;
        }
        assertTrue("no view of " + g + "\n" + ctx, reference != null);
        assertEquals("members of " + g + " vs. surviving providers\n" + ctx, List.copyOf(surviving), reference.members());
        for (Actor a : actors) {
            if (a.group.equals(g) && !a.ended && member(a)) {
                Notification last = lastFinal(a.provider);
                long seq = last instanceof ApprovedNotification ap ? ap.proposal().seq() : ((RejectedNotification) last).proposal().seq();
                var proposal = last instanceof ApprovedNotification ap ? ap.proposal() : ((RejectedNotification) last).proposal();
                assertEquals(a.provider.name + " last seq\n" + ctx, reference.seq(), seq);
                assertEquals(a.provider.name + " state\n" + ctx, reference.state(), proposal.currentState());
                assertEquals(a.provider.name + " membership\n" + ctx, reference.members(), proposal.wholeMembership());
            }
        }
        for (Sub s : subs) {
            if (s.group.equals(g) && !s.subscriber().received.isEmpty() && !s.subscriber().failed) {
                SubscriptionNotification last = s.subscriber().last();
                if (!last.events().contains(SubscriptionEvent.DISSOLVED)) {
                    assertEquals(s.subscriber().name + " state\n" + ctx, reference.state(), last.state());
                    assertEquals(s.subscriber().name + " members\n" + ctx, reference.members(), last.fullMembership());
                }
            }
        }
    }

    private boolean member(Actor a) {
        boolean member = false;
        ProviderId id = a.id();
        for (Notification n : a.provider.received) {
            if (n instanceof ApprovedNotification ap) {
                member = ap.proposal().wholeMembership().contains(id);
            } else if (n instanceof RejectedNotification r && r.protocolType() == ProtocolType.JOIN
                    && r.proposal().changingMembership().contains(id)) {
                member = false;
            } else if (n instanceof AnnouncementNotification an && an.summary().contains(SummaryCode.MEMBERSHIP_LOST)) {
                member = false;
            }
        }
        return member;
    }

    private static Notification lastFinal(TestProvider p) {
        Notification last = null;
        for (Notification n : p.received) {
            if (n instanceof ApprovedNotification || n instanceof RejectedNotification) {
                last = n;
            }
        }
        return last;
    }
}
