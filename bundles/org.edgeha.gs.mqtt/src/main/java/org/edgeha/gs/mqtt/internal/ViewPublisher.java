package org.edgeha.gs.mqtt.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.spi.GroupViewListener;
import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PresenceListener;
import org.edgeha.mqtt.api.PublishRejectedException;
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
 * <p>Threads: handed over under the engine's lock, published on {@code gs-mqtt-views}.
 */
@Component(service = GroupViewListener.class, immediate = true)
public class ViewPublisher implements GroupViewListener {

    private final MqttBridge bridge;
    private final Logger log;
    private final int node;
    private final String root;
    private final ExecutorService publisher;
    private final Map<String, GroupView> unsent = new LinkedHashMap<>();
    private final Map<String, GroupView> published = new LinkedHashMap<>();
    private final AutoCloseable presence;

    @Activate
    public ViewPublisher(@Reference(target = "(" + MqttBridge.NAME + "=default)") MqttBridge bridge,
            @Reference Gateway gateway, @Reference(service = LoggerFactory.class) Logger log) {
        this.bridge = bridge;
        this.log = log;
        this.node = gateway.settings().node();
        this.root = "edgeha/" + gateway.settings().domain() + "/group/";
        this.publisher = Executors.newSingleThreadExecutor(r -> {
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
            public void presence(Map<Integer, Long> online) {
            }
        });
    }

    @Deactivate
    void deactivate() throws Exception {
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
            bridge.publishDirect(new OutboundMessage(root + view.group() + "/view", ViewJson.of(view, node), 1, true,
                    Map.of()));
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
}
