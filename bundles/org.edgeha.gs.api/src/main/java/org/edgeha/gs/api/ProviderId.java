package org.edgeha.gs.api;

import java.util.Comparator;

/**
 * A provider as other members see it (GSAPI {@code ha_gs_provider_t}): its gateway's node number and
 * its instance number, unique per node per group. Ordered by node, then instance; this order decides
 * membership lists and the deterministic piggyback rule of {@link Proposal}.
 *
 * @param node the gateway's node number, positive
 * @param instance the provider's instance number, zero or positive
 */
public record ProviderId(int node, int instance) implements Comparable<ProviderId> {

    private static final Comparator<ProviderId> ORDER =
            Comparator.comparingInt(ProviderId::node).thenComparingInt(ProviderId::instance);

    /** Checks the ranges. */
    public ProviderId {
        if (node <= 0 || instance < 0) {
            throw new IllegalArgumentException("node must be positive and instance not negative: " + node + "/" + instance);
        }
    }

    @Override
    public int compareTo(ProviderId o) {
        return ORDER.compare(this, o);
    }

    /** @return {@code node/instance} */
    @Override
    public String toString() {
        return node + "/" + instance;
    }
}
