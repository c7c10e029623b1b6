package org.edgeha.webconsole.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeha.mqtt.api.MqttBridge;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.mqtt.api.PresenceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The "MQTT link" page: each managed MQTT connection ({@link MqttBridge}; {@code default} is the gateway's own) with
 * its state, broker, session, store depth and counters, and the gateways of the domain it sees online (a
 * {@link PresenceListener} per connection). No actions: the public API offers none an operator should click (the
 * connection is owned by the bridge; {@code etc/org.edgeha.mqtt.cfg} changes it).
 *
 * <p>Threads: as {@link EdgePage}; {@link MqttBridge#status()} returns a snapshot at once. Presence calls arrive on each
 * bridge's delivery thread and only replace a map.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + MqttPage.LABEL,
        "felix.webconsole.title=MQTT link",
        "felix.webconsole.category=" + EdgePage.CATEGORY
})
public class MqttPage extends EdgePage {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "edgeha-mqtt";

    private final transient Map<MqttBridge, Presence> bridges = new ConcurrentHashMap<>();

    @Activate
    public MqttPage(@Reference PasswordGuard guard) {
        super(guard);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBridge(MqttBridge bridge) {
        Presence p = new Presence();
        bridges.put(bridge, p);
        p.handle = bridge.addPresenceListener(p);
    }

    void removeBridge(MqttBridge bridge) {
        Presence p = bridges.remove(bridge);
        if (p != null) {
            p.close();
        }
    }

    @Deactivate
    void deactivate() {
        bridges.values().forEach(Presence::close);
        bridges.clear();
    }

    @Override
    void render(PrintWriter out, HttpServletRequest request) {
        List<Map.Entry<MqttStatus, Map<Integer, Long>>> rows = new ArrayList<>();
        bridges.forEach((bridge, presence) -> rows.add(Map.entry(bridge.status(), presence.online)));
        rows.sort(Comparator.comparing(e -> e.getKey().name()));
        out.print(body(rows));
    }

    /** @return the page body: one section per connection, with its status and the nodes it sees online */
    String body(List<Map.Entry<MqttStatus, Map<Integer, Long>>> rows) {
        StringBuilder b = new StringBuilder();
        if (rows.isEmpty()) {
            return "<p class='statline'>No MQTT connection: the MQTT bridge is not running (feature mqtt).</p>";
        }
        for (Map.Entry<MqttStatus, Map<Integer, Long>> row : rows) {
            MqttStatus s = row.getKey();
            b.append("<h3>Connection ").append(h(s.name())).append("</h3>");
            b.append("<table class='nicetable edgeha-mqtt' data-connection='").append(a(s.name())).append("'><tbody>");
            line(b, "State", s.state());
            line(b, "Broker", s.broker());
            line(b, "Client id", s.clientId());
            line(b, "Session resumed at last connect", s.sessionPresent() ? "yes" : "no");
            line(b, "Incarnation", s.incarnation());
            line(b, "Connects", s.connects());
            line(b, "Store depth (not yet acknowledged)", s.storeDepth() + " messages, " + s.storeBytes() + " bytes");
            line(b, "Forwarded from the store", s.forwarded());
            line(b, "Dropped (oldest, store full)", s.droppedOldest());
            line(b, "Publishes rejected", s.rejected());
            line(b, "Discarded at start (corrupt)", s.discardedOnStart());
            line(b, "Direct publishes queued / dropped", s.directQueued() + " / " + s.directDropped());
            line(b, "Inputs rejected", s.rejectedInputs() + (s.rejectedByReason().isEmpty() ? ""
                    : " " + new TreeMap<>(s.rejectedByReason())));
            line(b, "Last error", s.lastError() == null || s.lastError().isEmpty() ? "-" : s.lastError());
            Map<Integer, Long> online = row.getValue();
            line(b, "Gateways online", s.nodesOnline() + (online.isEmpty() ? "" : ": " + describe(online)));
            b.append("</tbody></table>");
        }
        return b.toString();
    }

    private static String describe(Map<Integer, Long> online) {
        List<String> nodes = new ArrayList<>();
        new TreeMap<>(online).forEach((node, incarnation) -> nodes.add("node " + node + " (incarnation " + incarnation + ")"));
        return String.join(", ", nodes);
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append("<tr><th style='text-align:left'>").append(h(name)).append("</th><td>").append(h(value))
                .append("</td></tr>");
    }

    @Override
    String act(String action, HttpServletRequest request) {
        return "the MQTT link page has no actions";
    }

    /** The latest presence one bridge reported. */
    private static final class Presence implements PresenceListener {
        volatile Map<Integer, Long> online = Map.of();
        volatile AutoCloseable handle;

        @Override
        public void connected(long incarnation, boolean resumed) {
        }

        @Override
        public void disconnected() {
            online = Map.of();
        }

        @Override
        public void presence(Map<Integer, Long> nodes) {
            online = Map.copyOf(nodes);
        }

        void close() {
            AutoCloseable h = handle;
            if (h != null) {
                try {
                    h.close();
                } catch (Exception e) {
                    // the bridge is going away: nothing more will be called
                }
            }
        }
    }
}
