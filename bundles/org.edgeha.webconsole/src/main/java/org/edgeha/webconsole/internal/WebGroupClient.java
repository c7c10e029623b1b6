package org.edgeha.webconsole.internal;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriberToken;
import org.edgeha.gs.api.SubscriptionEvent;
import org.edgeha.gs.api.SubscriptionNotification;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The web console's own Group Services client, named {@value #CLIENT_NAME}: its providers (instance
 * {@value #INSTANCE}, one per group, approving every vote) join, leave and propose state values for the operator, and
 * it subscribes to every group this gateway knows, so that the groups page can show each group's recent protocols
 * (the approved changes a subscriber sees, and what the web providers saw rejected). Memberships last while this
 * bundle runs: stopping it (or the gateway) quits the client, and the web providers leave as failures.
 *
 * <p>Threads: the calls from the page ({@link #join}, {@link #leave}, {@link #propose}, {@link #recent},
 * {@link #isMember}) come from HTTP request threads and never block on the network (Group Services calls return
 * after local checks). Callbacks run on the engine's threads; a single daemon thread
 * ({@code edgeha-webconsole-groups}) looks for new groups to watch every {@value #WATCH_PERIOD_S} s.
 */
@Component(service = WebGroupClient.class, immediate = true)
public class WebGroupClient {

    static final String CLIENT_NAME = "web";
    /** The instance number of the web console's provider in each group (the shell's is 9999). */
    static final int INSTANCE = 9_998;
    static final int KEPT = 12;
    static final long WATCH_PERIOD_S = 3;

    private final GroupServices gs;
    private final Logger log;
    private final GsClient client;
    private final ScheduledExecutorService watcher;
    private final Map<String, WebProvider> providers = new HashMap<>();
    private final Map<String, SubscriberToken> watched = new HashMap<>();
    /** Groups whose subscription ended (dissolved, unknown), with the sequence number then: watched again if it moves. */
    private final Map<String, Long> ended = new HashMap<>();
    private final Map<String, Deque<String>> history = new HashMap<>();

    @Activate
    public WebGroupClient(@Reference GroupServices gs, @Reference(service = LoggerFactory.class) Logger log) {
        this.gs = gs;
        this.log = log;
        this.client = gs.init(ClientOptions.named(CLIENT_NAME).withDelayedErrorCallback(this::delayedError));
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeha-webconsole-groups");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchNewGroups, 0, WATCH_PERIOD_S, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        watcher.shutdownNow();
        client.quit();
    }

    /** @return the groups this gateway knows (a copy) */
    List<GroupView> groups() {
        return gs.groups();
    }

    int nodeNumber() {
        return gs.nodeNumber();
    }

    synchronized boolean isMember(String group) {
        return providers.containsKey(group);
    }

    /** @return the group's recent protocols as this client saw them, newest first */
    synchronized List<String> recent(String group) {
        Deque<String> d = history.get(group);
        return d == null ? List.of() : new ArrayList<>(d);
    }

    /**
     * Joins the group with the web provider, with the group's own attributes when this gateway knows it; proposes
     * {@code state} once the join is approved, when given.
     *
     * @return the outcome for the operator
     */
    synchronized String join(String group, String state) {
        if (providers.containsKey(group)) {
            return "the web client is a member of " + group + " already";
        }
        GroupAttributes attributes = gs.group(group).map(GroupView::attributes).orElse(GroupAttributes.DEFAULT);
        WebProvider p = new WebProvider(group, state == null || state.isBlank() ? null : state);
        try {
            p.token = client.join(new JoinRequest(group, INSTANCE, attributes, "web console", p));
        } catch (GsException e) {
            return "join " + group + " refused: " + e.getMessage();
        }
        providers.put(group, p);
        note(group, "join of web provider " + gs.nodeNumber() + "/" + INSTANCE + " requested");
        log.info("Web console: provider {}/{} joining group {}", gs.nodeNumber(), INSTANCE, group);
        watch(group);
        return "joining " + group + " as " + gs.nodeNumber() + "/" + INSTANCE + (p.initialState != null
                ? ", then proposing state " + p.initialState : "");
    }

    synchronized String leave(String group) {
        WebProvider p = providers.get(group);
        if (p == null) {
            return "the web client is not a member of " + group;
        }
        try {
            client.leave(p.token, new LeaveRequest(Voting.ONE_PHASE, 0));
        } catch (GsException e) {
            return "leave " + group + " refused: " + e.getMessage();
        }
        log.info("Web console: provider {}/{} leaving group {}", gs.nodeNumber(), INSTANCE, group);
        return "leaving " + group;
    }

    synchronized String propose(String group, String value) {
        WebProvider p = providers.get(group);
        if (p == null) {
            return "the web client is not a member of " + group + ": join it first";
        }
        try {
            client.changeStateValue(p.token, new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8(value)));
        } catch (GsException e) {
            return "state " + value + " for " + group + " refused: " + e.getMessage();
        }
        log.info("Web console: state value {} proposed in group {}", value, group);
        return "proposed state " + StateValue.ofUtf8(value) + " in " + group;
    }

    private void watchNewGroups() {
        try {
            for (GroupView v : gs.groups()) {
                synchronized (this) {
                    Long endedAt = ended.get(v.group());
                    if (!watched.containsKey(v.group()) && (endedAt == null || v.seq() > endedAt)) {
                        watch(v.group());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Web console: cannot watch the groups: {}", e.toString());
        }
    }

    private synchronized void watch(String group) {
        if (watched.containsKey(group)) {
            return;
        }
        try {
            watched.put(group, client.subscribe(SubscribeRequest.all(group, this::subscription)));
            ended.remove(group);
        } catch (GsException e) {
            ended.put(group, gs.group(group).map(GroupView::seq).orElse(-1L));
        }
    }

    private synchronized void subscription(SubscriptionNotification n) {
        Set<SubscriptionEvent> e = n.events();
        List<String> parts = new ArrayList<>();
        if (e.contains(SubscriptionEvent.INITIAL)) {
            parts.add("watching: members " + n.fullMembership() + ", state " + n.state());
        }
        if (e.contains(SubscriptionEvent.DELTA_JOIN)) {
            parts.add("joined " + n.joined());
        }
        if (e.contains(SubscriptionEvent.DELTA_LEAVE)) {
            parts.add("left " + n.left());
        }
        if (e.contains(SubscriptionEvent.STATE)) {
            parts.add("state " + n.state());
        }
        if (e.contains(SubscriptionEvent.DISSOLVED)) {
            parts.add("dissolved");
            watched.remove(n.group());
            ended.put(n.group(), n.seq());
        }
        if (parts.isEmpty() && e.contains(SubscriptionEvent.MEMBERSHIP)) {
            parts.add("members " + n.fullMembership());
        }
        note(n.group(), "seq " + n.seq() + ": " + String.join(", ", parts));
    }

    private void delayedError(DelayedErrorNotification n) {
        synchronized (this) {
            if (n.requestToken() instanceof SubscriberToken) {
                watched.remove(n.group());
                ended.put(n.group(), gs.group(n.group()).map(GroupView::seq).orElse(-1L));
            } else if (n.requestToken() instanceof ProviderToken t) {
                WebProvider p = providers.get(n.group());
                if (p != null && t.equals(p.token) && n.protocolType() == ProtocolType.JOIN) {
                    providers.remove(n.group()); // never became a member
                }
            }
            note(n.group(), "error " + n.returnCode() + " (" + n.protocolType() + ")");
        }
        log.warn("Web console: Group Services error in group {}: {} ({})", n.group(), n.returnCode(), n.protocolType());
    }

    private synchronized void note(String group, String text) {
        Deque<String> d = history.computeIfAbsent(group, g -> new ArrayDeque<>());
        d.addFirst(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
        while (d.size() > KEPT) {
            d.removeLast();
        }
    }

    /** A web provider: approves every phase, notes what it saw, proposes its initial state once joined. */
    private final class WebProvider implements ProviderCallbacks {
        final String group;
        final String initialState;
        volatile ProviderToken token;

        WebProvider(String group, String initialState) {
            this.group = group;
            this.initialState = initialState;
        }

        @Override
        public void nPhase(NPhaseNotification n) {
            try {
                client.vote(n.token(), Vote.approve());
            } catch (GsException e) {
                note(group, "vote of the web provider failed: " + e.getMessage());
            }
        }

        @Override
        public void approved(ApprovedNotification n) {
            ProviderId self = new ProviderId(gs.nodeNumber(), INSTANCE);
            ProtocolType type = n.protocolType();
            boolean removed = EnumSet.of(ProtocolType.LEAVE, ProtocolType.FAILURE_LEAVE, ProtocolType.EXPEL).contains(type)
                    && n.proposal().changingMembership().contains(self);
            Optional<ProviderId> by = n.proposal().proposedBy();
            note(group, "seq " + n.proposal().seq() + ": " + type + " approved" + by.map(p -> " (by " + p + ")").orElse(""));
            if (removed) {
                synchronized (WebGroupClient.this) {
                    providers.remove(group, this);
                }
            } else if (type == ProtocolType.JOIN && initialState != null && n.proposal().changingMembership().contains(self)) {
                try {
                    client.changeStateValue(token, new StateChangeRequest(Voting.ONE_PHASE, StateValue.ofUtf8(initialState)));
                } catch (GsException e) {
                    note(group, "initial state " + initialState + " not proposed: " + e.getMessage());
                }
            }
        }

        @Override
        public void rejected(RejectedNotification n) {
            note(group, "seq " + n.proposal().seq() + ": " + n.protocolType() + " rejected " + n.summary());
        }
    }
}
