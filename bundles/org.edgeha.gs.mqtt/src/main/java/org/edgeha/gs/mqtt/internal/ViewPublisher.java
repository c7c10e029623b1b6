package org.edgeha.gs.mqtt.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.spi.GroupViewListener;
import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
import org.edgeha.mqtt.api.Subscription;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Keeps the retained public view {@code edgeha/{domain}/group/{group}/view} of every group this gateway takes part
 * in (SPEC 3.4), after every approved protocol. One gateway per group publishes, so that two cannot overwrite each
 * other's newer view with an older one: the lowest-numbered node with members in the group (every member applies the
 * same views, so they agree on it); for a dissolved group, every gateway that had members (they publish the same).
 * Views not sent while offline are sent at the next connect, the newest per group; each carries its {@code seq}.
 *
 * <p>No stale truth (docs/mqtt-api.md): a view names its publisher's node and incarnation and is current while that
 * incarnation is online. Every gateway reads the retained views of the domain; when a view's publisher has been offline
 * (its will) for {@link #STALE_AFTER_MS} and no newer view replaced it (the surviving members publish one after their
 * failure-leave), the lowest-numbered online gateway of the domain publishes it again marked {@code "stale":true}. A
 * gateway that publishes a group and sees its view marked stale (a race with its own return), or replaced by an older
 * one (a healed bridge between brokers passes on the other broker's retained view), publishes its view again.
 *
 * <p>Threads: views are handed over under the engine's lock; everything else (publishing, retained views read back,
 * presence) runs on {@code gs-mqtt-views}.
 */
@Component(service = GroupViewListener.class, immediate = true)
public class ViewPublisher implements GroupViewListener {

    /** How long a view whose publisher went offline waits for the survivors' new view before it is marked stale. */
    static final long STALE_AFTER_MS = 5_000;

    /** How long an older retained view may stand before the publisher publishes its own again. */
    static final long REPAIR_AFTER_MS = 1_000;

    private final MqttBridge bridge;
    private final Logger log;
    private final int node;
    private final String root;
    private final ScheduledExecutorService publisher;
    private final Map<String, GroupView> unsent = new LinkedHashMap<>();
    private final Map<String, GroupView> published = new LinkedHashMap<>();
    /** The retained view of every group of the domain, as the broker last gave it. */
    private final Map<String, ViewJson.Seen> retained = new HashMap<>();
    /** Groups whose retained view went back to an older one, looked at again after {@link #REPAIR_AFTER_MS}. */
    private final java.util.Set<String> repairing = new java.util.HashSet<>();
    private Map<Integer, Long> online = Map.of();
    private final AutoCloseable presence;
    private final Subscription views;

    @Activate
    public ViewPublisher(@Reference(target = "(" + MqttBridge.NAME + "=default)") MqttBridge bridge,
            @Reference Gateway gateway, @Reference(service = LoggerFactory.class) Logger log) {
        this.bridge = bridge;
        this.log = log;
        this.node = gateway.settings().node();
        this.root = "edgeha/" + gateway.settings().domain() + "/group/";
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gs-mqtt-views-" + node);
            t.setDaemon(true);
            return t;
        });
        this.presence = bridge.addPresenceListener(new PresenceListener() {
            @Override
            public void connected(long incarnation, boolean resumed) {
                run(ViewPublisher.this::republish); // the broker may have restarted without its retained messages
            }

            @Override
            public void disconnected() {
            }

            @Override
            public void presence(Map<Integer, Long> nowOnline) {
                run(() -> presenceChanged(nowOnline));
            }
        });
        // Direct: the handler only hands the view over, so the bridge may call it on the MQTT client's thread (every
        // gateway reads every view of the domain: one hand-off less per approved protocol).
        this.views = bridge.subscribeDirect(root + "+/view", 1, message -> run(() -> viewArrived(message)));
    }

    @Deactivate
    void deactivate() throws Exception {
        views.close();
        presence.close();
        publisher.shutdownNow();
    }

    static boolean publishes(int node, GroupView view, List<ProviderId> previousMembers) {
        List<ProviderId> who = view.members().isEmpty() ? previousMembers : view.members();
        if (view.members().isEmpty()) {
            return who.stream().anyMatch(p -> p.node() == node);
        }
        return who.stream().mapToInt(ProviderId::node).min().orElse(0) == node;
    }

    @Override
    public void viewChanged(GroupView view, List<ProviderId> previousMembers) {
        if (publishes(node, view, previousMembers)) {
            run(() -> send(view));
        } else {
            run(() -> published.remove(view.group())); // another gateway publishes it now
        }
    }

    private void run(Runnable task) {
        try {
            publisher.execute(task);
        } catch (RejectedExecutionException stopping) {
            // deactivated
        }
    }

    private void send(GroupView view) {
        try {
            bridge.publishDirect(new OutboundMessage(root + view.group() + "/view",
                    ViewJson.of(view, node, bridge.incarnation()), 1, true, Map.of()).asJson());
            unsent.remove(view.group());
            published.put(view.group(), view);
        } catch (PublishRejectedException e) {
            unsent.put(view.group(), view);
            if (e.reason() != PublishRejectedException.Reason.NOT_CONNECTED) {
                log.warn("Public view of group {} (seq {}) not published: {}", view.group(), view.seq(), e.getMessage());
            }
        }
    }

    private void republish() {
        Map<String, GroupView> all = new LinkedHashMap<>(published);
        all.putAll(unsent);
        all.values().forEach(this::send);
    }

    /** A retained or live view of the domain (ours too), read back with the JSON parser. */
    private void viewArrived(InboundMessage message) {
        String group = message.topic().substring(root.length(), message.topic().length() - "/view".length());
        if (message.payload().length == 0) {
            retained.remove(group); // cleared by an operator
            return;
        }
        Optional<ViewJson.Seen> seen = ViewJson.read(message.payload());
        if (seen.isEmpty() || !seen.get().group().equals(group)) {
            log.debug("Retained view on {} is not a group view; left alone", message.topic());
            return;
        }
        retained.put(group, seen.get());
        GroupView ours = published.get(group);
        if (seen.get().stale() && ours != null) {
            log.info("The view of group {} was marked stale while this gateway publishes it; published again", group);
            send(ours);
            return;
        }
        if (ours != null && !seen.get().dissolved() && seen.get().seq() < ours.seq() && repairing.add(group)) {
            // An older view replaced ours: a bridge between brokers that comes back passes on the other broker's
            // retained view, which may be older than what was published here meanwhile. Looked at again a moment
            // later, so that the views a former publisher sent just before this gateway took over (still on their
            // way, followed by ours) do not count
            try {
                publisher.schedule(() -> repairIfStillOlder(group), REPAIR_AFTER_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivated
            }
            return;
        }
        check(group, seen.get());
    }

    private void repairIfStillOlder(String group) {
        repairing.remove(group);
        ViewJson.Seen seen = retained.get(group);
        GroupView ours = published.get(group);
        if (ours != null && seen != null && !seen.dissolved() && seen.seq() < ours.seq()) {
            log.info("The retained view of group {} went back to seq {} (an older one, e.g. passed on by a healed"
                    + " bridge between brokers); seq {} published again", group, seen.seq(), ours.seq());
            send(ours);
        }
    }

    private void presenceChanged(Map<Integer, Long> nowOnline) {
        online = nowOnline;
        retained.forEach(this::check);
    }

    /** A view whose publisher is not online is looked at again after {@link #STALE_AFTER_MS}. */
    private void check(String group, ViewJson.Seen seen) {
        if (!seen.stale() && !seen.dissolved() && !current(seen)) {
            try {
                publisher.schedule(() -> markIfStill(group, seen), STALE_AFTER_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivated
            }
        }
    }

    /** Its publisher's incarnation is online (a view of an older gateway names no incarnation: its node then). */
    private boolean current(ViewJson.Seen seen) {
        Long incarnation = online.get(seen.publisher());
        return incarnation != null && (seen.publisherIncarnation() == 0 || incarnation == seen.publisherIncarnation());
    }

    private void markIfStill(String group, ViewJson.Seen seen) {
        if (retained.get(group) != seen || current(seen) || online.isEmpty()
                || online.keySet().stream().mapToInt(Integer::intValue).min().orElse(0) != node) {
            return; // replaced, back, or another gateway (the lowest online) marks it
        }
        try {
            bridge.publishDirect(new OutboundMessage(root + group + "/view", ViewJson.markedStale(seen.json(), node), 1,
                    true, Map.of()).asJson());
            log.info("The view of group {} (seq {}) is marked stale: its publisher, node {}, is offline and no member "
                    + "published a newer one", group, seen.seq(), seen.publisher());
        } catch (PublishRejectedException e) {
            log.debug("Stale mark of group {} not published: {}", group, e.getMessage());
        }
    }
}
