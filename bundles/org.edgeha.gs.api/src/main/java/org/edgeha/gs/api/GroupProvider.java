package org.edgeha.gs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider registered as an OSGi service (SPEC 2.10 whiteboard). For each service with the
 * properties {@link GsWhiteboard#GROUP_NAME} (one group) and {@link GsWhiteboard#INSTANCE}, the
 * engine joins the group on the provider's behalf, through a client named
 * {@link GsWhiteboard#WHITEBOARD_CLIENT_NAME}, and says goodbye when the service goes away (its
 * bundle stopped, updated or uninstalled). A service with missing or invalid properties is logged and
 * ignored; nothing is thrown at the registrant.
 *
 * <p>{@link #attached} runs on the client's callback thread right before the provider's first
 * notification, and hands over the client and token it needs to vote and propose. If the membership is
 * lost only because this gateway was cut off from its peers ({@link SummaryCode#MEMBERSHIP_LOST}), the
 * engine joins again while the service stays registered (a new token, a new {@code attached}); after a
 * leave, an expel or a failed join it does not. Threads: as {@link ProviderCallbacks}.
 */
@ConsumerType
public interface GroupProvider extends ProviderCallbacks {

    /**
     * @return the attributes to join with; the default is {@link GroupAttributes#DEFAULT}
     */
    default GroupAttributes groupAttributes() {
        return GroupAttributes.DEFAULT;
    }

    /**
     * The engine joined (or is joining) on this provider's behalf; called before its first notification.
     *
     * @param client the client that owns the membership; use it to vote and propose
     * @param token this provider's token
     */
    void attached(GsClient client, ProviderToken token);

    /**
     * The membership ended: the join failed (delayed error), the provider was removed, or the service
     * is going away. The default does nothing.
     *
     * @param token the token that is no longer valid
     */
    default void detached(ProviderToken token) {
    }
}
