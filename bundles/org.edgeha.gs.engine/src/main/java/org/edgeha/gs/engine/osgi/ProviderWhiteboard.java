package org.edgeha.gs.engine.osgi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupProvider;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.SubscriberToken;
import org.edgeha.gs.api.SubscriptionCallback;
import org.edgeha.gs.api.SubscriptionFlag;
import org.edgeha.gs.engine.core.EngineLog;

/**
 * The provider and subscription whiteboard (SPEC 2.10): joins each {@link GroupProvider} service into
 * its group and says goodbye when the service goes away; subscribes each {@link SubscriptionCallback}
 * service to its groups. All through one client named {@link GsWhiteboard#WHITEBOARD_CLIENT_NAME}.
 * Services with bad properties are logged and ignored, never thrown at. Thread-safe (DS threads and
 * callback threads).
 */
final class ProviderWhiteboard {

    /** How long a whiteboard subscription waits before trying again for a group that does not exist. */
    static final long RETRY_MILLIS = 5_000;

    /** One group watched for one subscription service, across the group's lives. */
    private final class Watch implements SubscriptionCallback {
        final long serviceId;
        final String group;
        final Set<SubscriptionFlag> flags;
        final SubscriptionCallback callback;
        volatile SubscriberToken token;

        Watch(long serviceId, String group, Set<SubscriptionFlag> flags, SubscriptionCallback callback) {
            this.serviceId = serviceId;
            this.group = group;
            this.flags = flags;
            this.callback = callback;
        }

        @Override
        public void subscription(org.edgeha.gs.api.SubscriptionNotification n) {
            callback.subscription(n);
            if (n.events().contains(org.edgeha.gs.api.SubscriptionEvent.DISSOLVED)) {
                retryLater(this); // keep watching the name: the group may be created again
            }
        }
    }

    private final GsClient client;
    private final EngineLog log;
    private final org.edgeha.gs.engine.core.Scheduler scheduler;
    private final Map<Long, BoundProvider> providers = new LinkedHashMap<>();
    private final Map<Long, List<Watch>> subscriptions = new LinkedHashMap<>();

    ProviderWhiteboard(GroupServices gs, EngineLog log, WhiteboardCallbacks callbacks,
            org.edgeha.gs.engine.core.Scheduler scheduler) {
        this.log = log;
        this.scheduler = scheduler;
        this.client = gs.init(ClientOptions.named(GsWhiteboard.WHITEBOARD_CLIENT_NAME)
                .withDelayedErrorCallback(this::delayedError));
        callbacks.providers(this);
    }

    synchronized void addProvider(GroupProvider p, Map<String, ?> props) {
        long id = serviceId(props);
        List<String> groups = Props.strings(props, GsWhiteboard.GROUP_NAME);
        Integer instance = Props.integer(props, GsWhiteboard.INSTANCE);
        String localName = Props.strings(props, GsWhiteboard.LOCAL_NAME).stream().findFirst().orElse("");
        if (groups.size() != 1 || !GsLimits.isValidGroupName(groups.get(0)) || instance == null || instance < 0
                || localName.length() > GsLimits.MAX_NAME_LENGTH) {
            log.warn("Group Services: ignored group provider " + Props.describe(props) + ": it needs "
                    + GsWhiteboard.GROUP_NAME + " (one valid group name) and " + GsWhiteboard.INSTANCE
                    + " (an instance number >= 0); got " + groups + " and " + props.get(GsWhiteboard.INSTANCE));
            return;
        }
        BoundProvider b = new BoundProvider(p, groups.get(0), instance, localName, id, client);
        providers.put(id, b);
        join(b);
    }

    private void join(BoundProvider b) {
        try {
            b.token(client.join(new JoinRequest(b.group, b.instance, b.provider.groupAttributes(), b.localName, b)));
            log.info("Group Services: whiteboard provider " + b.localName + " joins " + b.group + " as instance "
                    + b.instance);
        } catch (GsException e) {
            log.warn("Group Services: whiteboard provider of service " + b.serviceId + " cannot join: " + e.getMessage());
        }
    }

    synchronized void removeProvider(Map<String, ?> props) {
        BoundProvider b = providers.remove(serviceId(props));
        if (b != null && b.token() != null) {
            try {
                client.goodbyeAsync(b.token());
            } catch (GsException e) {
                // already gone (failed join, removed): nothing to leave
            }
        }
    }

    /** A whiteboard provider's membership ended; runs on the whiteboard client's callback thread. */
    void ended(ProviderToken token) {
        BoundProvider b;
        synchronized (this) {
            b = providers.values().stream().filter(x -> token.equals(x.token())).findFirst().orElse(null);
        }
        if (b == null) {
            return;
        }
        b.provider.detached(token);
        synchronized (this) {
            if (b.membershipLost && providers.get(b.serviceId) == b) {
                // Lost only because this gateway was cut off from its peers: the service is still
                // registered, so it joins again. (After a leave, an expel or a failed join it does not.)
                BoundProvider again = new BoundProvider(b.provider, b.group, b.instance, b.localName, b.serviceId, client);
                providers.put(b.serviceId, again);
                join(again);
            }
        }
    }

    synchronized void addSubscriber(SubscriptionCallback cb, Map<String, ?> props) {
        List<String> groups = Props.strings(props, GsWhiteboard.GROUP_NAME);
        Set<SubscriptionFlag> flags = EnumSet.noneOf(SubscriptionFlag.class);
        try {
            Props.strings(props, GsWhiteboard.SUBSCRIPTION_FLAGS).forEach(f -> flags.add(SubscriptionFlag.valueOf(f.trim())));
        } catch (IllegalArgumentException e) {
            log.warn("Group Services: ignored subscription " + Props.describe(props) + ": unknown flag in "
                    + props.get(GsWhiteboard.SUBSCRIPTION_FLAGS));
            return;
        }
        if (flags.isEmpty()) {
            flags.addAll(EnumSet.allOf(SubscriptionFlag.class));
        }
        if (groups.isEmpty() || !groups.stream().allMatch(GsLimits::isValidGroupName)) {
            log.warn("Group Services: ignored subscription " + Props.describe(props) + ": it needs "
                    + GsWhiteboard.GROUP_NAME + " (valid group names); got " + groups);
            return;
        }
        List<Watch> watches = new ArrayList<>();
        for (String g : groups) {
            Watch w = new Watch(serviceId(props), g, flags, cb);
            watches.add(w);
            subscribe(w);
        }
        subscriptions.put(serviceId(props), watches);
    }

    private void subscribe(Watch w) {
        w.token = client.subscribe(new SubscribeRequest(w.group, w.flags, w));
    }

    private void retryLater(Watch w) {
        scheduler.schedule(RETRY_MILLIS, () -> {
            synchronized (this) {
                if (subscriptions.getOrDefault(w.serviceId, List.of()).contains(w)) {
                    try {
                        w.token = client.subscribe(new SubscribeRequest(w.group, w.flags, w));
                    } catch (GsException e) {
                        // the whiteboard client is gone: the component is stopping
                    }
                }
            }
        });
    }

    synchronized void removeSubscriber(Map<String, ?> props) {
        List<Watch> watches = subscriptions.remove(serviceId(props));
        if (watches != null) {
            for (Watch w : watches) {
                try {
                    client.unsubscribe(w.token);
                } catch (GsException e) {
                    // already ended (dissolved, unknown group)
                }
            }
        }
    }

    private void delayedError(DelayedErrorNotification n) {
        if (n.returnCode() == org.edgeha.gs.api.ReturnCode.UNKNOWN_GROUP) {
            synchronized (this) {
                subscriptions.values().stream().flatMap(List::stream).filter(w -> n.requestToken().equals(w.token))
                        .findFirst().ifPresent(this::retryLater); // the group does not exist yet: watch for it
            }
            return;
        }
        if (n.returnCode() == org.edgeha.gs.api.ReturnCode.MEMBERSHIP_LOST
                && n.protocolType() == org.edgeha.gs.api.ProtocolType.JOIN) {
            synchronized (this) {
                // The join was in flight when this gateway was declared failed: its provider ends next (ended()),
                // and as for a lost membership, joins again.
                providers.values().stream().filter(b -> n.requestToken().equals(b.token())).findFirst()
                        .ifPresent(b -> b.membershipLost = true);
            }
            log.info("Group Services: a whiteboard join in " + n.group() + " was cut short when this gateway was "
                    + "declared failed; it joins again");
            return;
        }
        log.warn("Group Services: whiteboard request failed: " + n.returnCode() + " for " + n.protocolType() + " in "
                + n.group() + " (" + n.requestToken() + ")");
    }

    void close() {
        client.quit();
    }

    private static long serviceId(Map<String, ?> props) {
        Object id = props.get("service.id");
        return id instanceof Number n ? n.longValue() : System.identityHashCode(props);
    }
}
