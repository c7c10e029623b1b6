package org.edgeha.gs.spi;

import java.util.List;

import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every approved protocol this gateway applies, for bridges that publish group views to other
 * systems (the MQTT bridge's retained {@code edgeha/{domain}/group/{group}/view}). Registered as an OSGi
 * service; the engine calls every one it finds.
 *
 * <p>Called on an engine thread while the engine holds its lock, in the order the protocols were applied:
 * hand the view over and return at once; never block and never call the engine from here.
 */
@ConsumerType
public interface GroupViewListener {

    /**
     * @param view the group after the protocol ({@link GroupView#running()} is empty; no members: dissolved)
     * @param previousMembers the members before it
     */
    void viewChanged(GroupView view, List<ProviderId> previousMembers);
}
