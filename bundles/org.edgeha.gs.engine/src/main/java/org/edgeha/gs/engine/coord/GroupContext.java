package org.edgeha.gs.engine.coord;

import org.edgeha.gs.engine.core.EngineLog;
import org.edgeha.gs.engine.core.Scheduler;
import org.edgeha.gs.engine.wire.Epoch;
import org.edgeha.gs.engine.wire.Msg;
import org.edgeha.gs.spi.NodeId;

/** What a {@link GroupCoordinator} needs from the domain coordinator that hosts it. */
interface GroupContext {

    Epoch epoch();

    void send(NodeId to, Msg m);

    Scheduler scheduler();

    boolean isUp(NodeId n);

    /** @return the coordinator of another group, or {@code null} */
    GroupCoordinator group(String name);

    /** A protocol of {@code g} was committed; {@code dissolved} when its last provider left. */
    void committed(GroupCoordinator g, boolean dissolved);

    EngineLog log();

    /** @return most providers one group may have, members and queued joiners together */
    int maxProvidersPerGroup();

    /** @return the generation of a group this coordinator creates now */
    org.edgeha.gs.engine.wire.Generation newGeneration();
}
