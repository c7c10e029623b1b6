package org.edgeha.gs.engine.node;

import java.util.List;

import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.ResponsivenessCallback;

/**
 * Extension points the OSGi layer fills with whiteboard services; plain defaults otherwise. Called on
 * client callback threads, so implementations must be thread-safe.
 */
public interface Hooks {

    /** No whiteboard. */
    Hooks NONE = new Hooks() {
    };

    /** @return whiteboard delayed-error callbacks serving the client of this name */
    default List<DelayedErrorCallback> delayedErrorCallbacks(String clientName) {
        return List.of();
    }

    /** @return a whiteboard responsiveness callback serving the client of this name, or {@code null} */
    default ResponsivenessCallback responsivenessCallback(String clientName) {
        return null;
    }

    /** A provider's membership ended (failed join, removal, lost membership); runs on its callback thread. */
    default void providerEnded(String clientName, ProviderToken token) {
    }

    /**
     * An approved protocol was applied here. Unlike the others this runs under the engine lock, in applying
     * order: hand over, never block.
     */
    default void viewChanged(GroupView view, List<ProviderId> previousMembers) {
    }
}
