package org.edgeha.gs.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * GSAPI {@code ha_gs_subscribe_request_t}.
 *
 * @param group the group to watch
 * @param flags what to be notified about, not empty
 * @param callback the subscription callback
 */
public record SubscribeRequest(String group, Set<SubscriptionFlag> flags, SubscriptionCallback callback)
        implements Request {

    /** Checks for {@code null} and copies the flags. */
    public SubscribeRequest {
        Objects.requireNonNull(group, "group");
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        Objects.requireNonNull(callback, "callback");
    }

    /** @return a request for every kind of change */
    public static SubscribeRequest all(String group, SubscriptionCallback callback) {
        return new SubscribeRequest(group, EnumSet.allOf(SubscriptionFlag.class), callback);
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.SUBSCRIBE;
    }

    @Override
    public String toString() {
        return "SubscribeRequest[group=" + group + ", flags=" + flags + "]";
    }
}
