package org.edgeha.gs.engine.wire;

import java.util.Objects;

/**
 * A protocol a gateway saw start (a phase message) but not finish, as reported in a promise.
 *
 * @param seq its sequence number
 * @param phase the last phase seen
 * @param spec what it was
 */
public record InflightRec(long seq, int phase, ProtoSpec spec) {

    public InflightRec {
        Objects.requireNonNull(spec, "spec");
    }
}
