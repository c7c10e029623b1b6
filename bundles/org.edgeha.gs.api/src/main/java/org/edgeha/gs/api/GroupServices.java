package org.edgeha.gs.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Group Services engine of this gateway, registered once as an OSGi service. The entry point:
 * {@link #init} opens a client session (GSAPI {@code ha_gs_init}).
 *
 * <p>Thread-safe. No method blocks on the network.
 */
@ProviderType
public interface GroupServices {

    /**
     * Opens a client session (GSAPI {@code ha_gs_init}): registers its responsiveness check,
     * delayed-error callback and deactivate action.
     *
     * @param options the session's name, callbacks and dispatch mode
     * @return the new session; {@link GsClient#quit()} ends it
     * @throws GsException {@link ReturnCode#BAD_PARAMETER} if the options are invalid (for example a
     *     ping responsiveness check with a zero interval)
     */
    GsClient init(ClientOptions options);

    /**
     * GSAPI {@code ha_gs_get_node_number}.
     *
     * @return this gateway's node number in the domain ({@code edgeha.node})
     */
    int nodeNumber();

    /**
     * The groups this gateway currently knows: those with a local provider or subscriber. Meant for
     * operators and diagnostics; the values are copies taken at the moment of the call.
     *
     * @return one view per known group, sorted by group name
     */
    List<GroupView> groups();

    /**
     * @param group a group name
     * @return this gateway's view of the group, if it knows it (see {@link #groups()})
     */
    Optional<GroupView> group(String group);

    /**
     * Whether this gateway follows an established coordinator epoch: the coordinator it promised has started its
     * epoch here, so requests and votes reach it. While no epoch is established (at start, or after the coordinator
     * went down and until a takeover completes) requests wait. For health checks and operators; does not block on
     * the network.
     *
     * @return the node number of the gateway coordinating the domain as this gateway follows it, or 0 while no
     *     coordinator epoch is established here
     * @since 1.2.0
     */
    int coordinatorNode();
}
