package org.edgeha.gs.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A client session (GSAPI: the connection made by {@code ha_gs_init}). It owns providers and
 * subscribers; all their callbacks, the client's delayed errors and its responsiveness pings form one
 * serial stream of callbacks.
 *
 * <h2>Errors</h2>
 * Every call either accepts the request or throws {@link GsException} with the synchronous
 * {@link ReturnCode} at once, changing nothing. An accepted proposal later ends in exactly one of:
 * the proposer's {@link ProviderCallbacks#approved approved} or {@link ProviderCallbacks#rejected
 * rejected} notification, or a {@link DelayedErrorNotification} naming it. Calls on a session after
 * {@link #quit()} throw {@link ReturnCode#NO_INIT}; a token that is not a live provider or subscriber of
 * this session gives {@link ReturnCode#BAD_MEMBER_TOKEN}.
 *
 * <h2>Threads</h2>
 * Thread-safe; calls may come from any thread, including from inside this client's callbacks (for
 * example {@link #vote} from {@link ProviderCallbacks#nPhase}). Only {@link #goodbye(ProviderToken)}
 * and {@link #dispatch(DispatchFlag) dispatch(BLOCKING)} block; every other call returns after local
 * checks, without waiting for the network. Callbacks never run inside a call of this interface,
 * except inside {@link #dispatch}.
 */
@ProviderType
public interface GsClient extends AutoCloseable {

    /** @return the session's name, from {@link ClientOptions#name()} */
    String name();

    /** @return this gateway's node number (GSAPI {@code ha_gs_get_node_number}) */
    int nodeNumber();

    /**
     * Joins a group as a provider (GSAPI {@code ha_gs_join}); creates the group with the request's
     * attributes if it does not exist. The join runs as a protocol queued by the system (never
     * {@link ReturnCode#COLLIDE}); the joiner takes part in it (n-phase notifications and votes when
     * the group's {@link GroupAttributes#systemPhases()} is {@link NumPhases#N}) and receives its
     * approved or rejected notification.
     *
     * <p>Delayed errors: {@link ReturnCode#BAD_GROUP_ATTRIBUTES} (the group exists with other
     * attributes), {@link ReturnCode#DUPLICATE_INSTANCE_NUMBER} (the instance number is in use in this
     * group on this node), {@link ReturnCode#MEMBERSHIP_LOST} (this gateway was declared failed before
     * the join completed).
     *
     * @param request group, instance number, attributes and callbacks
     * @return the provider token, echoed in every notification for this provider
     * @throws GsException {@link ReturnCode#BAD_PARAMETER} (invalid group name, negative instance,
     *     oversized local name), {@link ReturnCode#NO_INIT}
     */
    ProviderToken join(JoinRequest request);

    /**
     * Proposes that this provider leave the group (GSAPI {@code ha_gs_leave}). The leaver takes part
     * in the protocol; on approval it is removed and other providers see {@link LeaveReason#LEFT} with
     * the request's leave code.
     *
     * @throws GsException {@link ReturnCode#COLLIDE} (a protocol is running in the group, or this
     *     gateway has a proposal in flight for it), {@link ReturnCode#NOT_A_MEMBER},
     *     {@link ReturnCode#BAD_MEMBER_TOKEN}, {@link ReturnCode#BAD_PARAMETER}
     */
    void leave(ProviderToken token, LeaveRequest request);

    /**
     * Proposes removing providers (GSAPI {@code ha_gs_expel}); a provider may expel itself. Targets do
     * not vote: in the request's deactivate phase each target's {@link DeactivateHandler} runs
     * instead, within the phase time limit. A target whose action fails or times out is named in an
     * announcement ({@link SummaryCode#DEACTIVATE_UNSUCCESSFUL}); the expel itself is decided by the
     * other providers' votes. If the protocol is approved before the deactivate phase (or is
     * one-phase), the deactivate actions run in a last step before the approval.
     *
     * @throws GsException {@link ReturnCode#COLLIDE}, {@link ReturnCode#NOT_A_MEMBER},
     *     {@link ReturnCode#BAD_PARAMETER} (empty list), {@link ReturnCode#INVALID_DEACTIVATE_PHASE}
     */
    void expel(ProviderToken token, ExpelRequest request);

    /**
     * Leaves at once, as a failure (GSAPI {@code ha_gs_goodbye}): the provider gets no further
     * notifications, is given the default vote in a running protocol, and is removed by a
     * failure-leave protocol in which the other providers see {@link LeaveReason#PROVIDER_SAID_GOODBYE}.
     * Never collides.
     *
     * <p>Blocks until the provider has been removed from the group (the failure-leave was approved
     * and applied on this gateway), so a new join with the same instance number is no longer a
     * duplicate. Must not be called from one of this client's callbacks (it would wait for callbacks
     * queued behind it); use {@link #goodbyeAsync} there.
     *
     * @throws GsException {@link ReturnCode#BAD_MEMBER_TOKEN}, {@link ReturnCode#NO_INIT}
     * @throws IllegalStateException when called on this client's callback thread
     */
    void goodbye(ProviderToken token);

    /**
     * {@link #goodbye} without blocking: the provider stops receiving notifications at once; the
     * returned stage completes once it has been removed from the group. The stage completes on an
     * engine thread, never inside a call of this interface.
     *
     * @throws GsException {@link ReturnCode#BAD_MEMBER_TOKEN}, {@link ReturnCode#NO_INIT}
     */
    CompletionStage<Void> goodbyeAsync(ProviderToken token);

    /**
     * Proposes a new state value (GSAPI {@code ha_gs_change_state_value}).
     *
     * @throws GsException {@link ReturnCode#COLLIDE}, {@link ReturnCode#NOT_A_MEMBER},
     *     {@link ReturnCode#BAD_MEMBER_TOKEN}, {@link ReturnCode#BAD_PARAMETER} (state too large)
     */
    void changeStateValue(ProviderToken token, StateChangeRequest request);

    /**
     * Broadcasts a message to the group's providers, as a protocol (GSAPI {@code ha_gs_send_message}).
     *
     * @throws GsException {@link ReturnCode#COLLIDE}, {@link ReturnCode#NOT_A_MEMBER},
     *     {@link ReturnCode#BAD_MEMBER_TOKEN}, {@link ReturnCode#BAD_PARAMETER} (message too large)
     */
    void sendMessage(ProviderToken token, MessageRequest request);

    /**
     * Proposes new group attributes (GSAPI {@code ha_gs_change_attributes}). The source group name
     * cannot change.
     *
     * @throws GsException {@link ReturnCode#COLLIDE}, {@link ReturnCode#NOT_A_MEMBER},
     *     {@link ReturnCode#BAD_GROUP_ATTRIBUTES} (source group changed or invalid values)
     */
    void changeAttributes(ProviderToken token, AttributeChangeRequest request);

    /**
     * Casts this provider's vote in the current phase (GSAPI {@code ha_gs_vote}), during or after its
     * {@link ProviderCallbacks#nPhase} callback. A state value or message carried by the vote appears in
     * the next notification of the same protocol.
     *
     * @throws GsException {@link ReturnCode#VOTE_NOT_EXPECTED} (no phase is waiting for this
     *     provider's vote, or it already voted in it), {@link ReturnCode#BAD_MEMBER_TOKEN},
     *     {@link ReturnCode#BAD_PARAMETER}
     */
    void vote(ProviderToken token, Vote vote);

    /**
     * Starts watching a group (GSAPI {@code ha_gs_subscribe}). The first notification carries the
     * group's current state and membership; later ones follow approved changes matching the flags.
     * Delayed error: {@link ReturnCode#UNKNOWN_GROUP}. If this gateway is declared failed by its peers
     * and comes back, the subscription starts again with a new {@link SubscriptionEvent#INITIAL}
     * notification (what it saw while cut off may have been discarded), or ends with
     * {@link SubscriptionEvent#DISSOLVED} if the group is gone meanwhile.
     *
     * @return the subscriber token, echoed in every subscription notification
     * @throws GsException {@link ReturnCode#BAD_PARAMETER} (invalid name, no flags)
     */
    SubscriberToken subscribe(SubscribeRequest request);

    /**
     * Stops a subscription (GSAPI {@code ha_gs_unsubscribe}); no notification for it is delivered
     * after this call returns, except one already running.
     *
     * @throws GsException {@link ReturnCode#BAD_MEMBER_TOKEN}
     */
    void unsubscribe(SubscriberToken token);

    /**
     * Runs queued callbacks on the calling thread (GSAPI {@code ha_gs_dispatch}); only for clients
     * opened with {@link DispatchMode#EXPLICIT}. {@link DispatchFlag#NON_BLOCKING} runs what is queued
     * and returns; {@link DispatchFlag#BLOCKING} keeps running callbacks until the client quits or the
     * thread is interrupted.
     *
     * @return the number of callbacks run
     * @throws GsException {@link ReturnCode#NOT_OK} for an {@link DispatchMode#ENGINE_THREAD} client or
     *     a nested call from a callback
     */
    int dispatch(DispatchFlag flag);

    /**
     * Ends the session (GSAPI {@code ha_gs_quit}). Its providers leave as failures (other providers see
     * {@link LeaveReason#CLIENT_QUIT}), its subscriptions end, queued callbacks are discarded. Does not
     * block; idempotent.
     */
    void quit();

    /** Same as {@link #quit()}. */
    @Override
    default void close() {
        quit();
    }
}
