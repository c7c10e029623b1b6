package org.edgeha.gs.engine.node;

import java.util.function.Supplier;

/** Runs code under the engine's lock, then delivers the messages it sent to this gateway itself. */
interface Locked {

    <T> T call(Supplier<T> work);

    default void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
