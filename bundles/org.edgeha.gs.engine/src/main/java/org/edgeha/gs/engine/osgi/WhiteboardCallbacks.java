package org.edgeha.gs.engine.osgi;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.spi.GroupViewListener;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.ResponsivenessCallback;
import org.edgeha.gs.engine.node.Hooks;

/**
 * Delayed-error and responsiveness callbacks registered as services, selected by client name
 * ({@link GsWhiteboard#CLIENT_NAME}; absent selects every client). Installed into the engine as its
 * {@link Hooks}; read on callback threads, changed on DS threads, hence copy-on-write lists.
 */
final class WhiteboardCallbacks implements Hooks {

    private record Entry<T>(T service, Map<String, ?> props) {
        int ranking() {
            Integer r = Props.integer(props, "service.ranking");
            return r == null ? 0 : r;
        }

        long id() {
            Object id = props.get("service.id");
            return id instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        }
    }

    private final List<Entry<DelayedErrorCallback>> errors = new CopyOnWriteArrayList<>();
    private final List<Entry<ResponsivenessCallback>> pings = new CopyOnWriteArrayList<>();
    private final List<GroupViewListener> viewListeners = new CopyOnWriteArrayList<>();
    private volatile ProviderWhiteboard providers;

    void providers(ProviderWhiteboard p) {
        providers = p;
    }

    void addDelayedError(DelayedErrorCallback cb, Map<String, ?> props) {
        errors.add(new Entry<>(cb, props));
    }

    void removeDelayedError(DelayedErrorCallback cb) {
        errors.removeIf(e -> e.service() == cb);
    }

    void addResponsiveness(ResponsivenessCallback cb, Map<String, ?> props) {
        pings.add(new Entry<>(cb, props));
    }

    void removeResponsiveness(ResponsivenessCallback cb) {
        pings.removeIf(e -> e.service() == cb);
    }

    void addViewListener(GroupViewListener l) {
        viewListeners.add(l);
    }

    void removeViewListener(GroupViewListener l) {
        viewListeners.remove(l);
    }

    @Override
    public void viewChanged(GroupView view, List<ProviderId> previousMembers) {
        viewListeners.forEach(l -> l.viewChanged(view, previousMembers));
    }

    @Override
    public List<DelayedErrorCallback> delayedErrorCallbacks(String clientName) {
        return errors.stream().filter(e -> Props.selects(e.props(), GsWhiteboard.CLIENT_NAME, clientName))
                .map(Entry::service).toList();
    }

    /** The highest-ranked selecting service answers (ties: the oldest). */
    @Override
    public ResponsivenessCallback responsivenessCallback(String clientName) {
        return pings.stream().filter(e -> Props.selects(e.props(), GsWhiteboard.CLIENT_NAME, clientName))
                .max(Comparator.<Entry<ResponsivenessCallback>>comparingInt(Entry::ranking)
                        .thenComparing(Comparator.comparingLong(Entry<ResponsivenessCallback>::id).reversed()))
                .map(Entry::service).orElse(null);
    }

    @Override
    public void providerEnded(String clientName, ProviderToken token) {
        ProviderWhiteboard p = providers;
        if (p != null && GsWhiteboard.WHITEBOARD_CLIENT_NAME.equals(clientName)) {
            p.ended(token);
        }
    }
}
