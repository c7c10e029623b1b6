package org.edgeha.gs.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The client's deactivate action (GSAPI: the deactivate script given to {@code ha_gs_init}), run for
 * each of the client's providers that an expel removes. Asynchronous, so that it can start a process
 * or wait for I/O without holding the client's callbacks.
 *
 * <p>Started on the client's callback thread (as {@link ProviderCallbacks}); the returned stage may
 * complete on any thread. A result other than 0, an exceptional completion, or no completion within
 * the phase time limit counts as unsuccessful and is announced
 * ({@link SummaryCode#DEACTIVATE_UNSUCCESSFUL}).
 */
@ConsumerType
@FunctionalInterface
public interface DeactivateHandler {

    /** A handler that succeeds at once. */
    DeactivateHandler SUCCEED = r -> java.util.concurrent.CompletableFuture.completedFuture(0);

    /**
     * @param request which provider, which group, the flag and the phase
     * @return a stage completing with 0 on success or another code on failure
     */
    CompletionStage<Integer> deactivate(DeactivateRequest request);
}
