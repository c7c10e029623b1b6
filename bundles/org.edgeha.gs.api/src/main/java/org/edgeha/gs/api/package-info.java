/**
 * Group Services: providers on many gateways join named groups and agree, through n-phase voting
 * protocols, on the group's membership and a shared state value. Modelled on IBM RSCT's Group
 * Services API (GSAPI); every GSAPI call, notification block and return code has a home here.
 *
 * <h2>Model</h2>
 * <ul>
 * <li>A <b>group</b> is a named provider membership list plus a client-defined <b>state value</b>
 * ({@link org.edgeha.gs.api.StateValue}), with {@link org.edgeha.gs.api.GroupAttributes} fixed by
 * its first joiner.</li>
 * <li>A <b>client</b> ({@link org.edgeha.gs.api.GsClient}, from
 * {@link org.edgeha.gs.api.GroupServices#init}) is a session: it owns providers and subscribers,
 * and receives their callbacks on one serial stream.</li>
 * <li><b>Providers</b> ({@link org.edgeha.gs.api.GsClient#join}) take part in protocols;
 * <b>subscribers</b> ({@link org.edgeha.gs.api.GsClient#subscribe}) only watch approved changes and
 * are invisible to providers.</li>
 * <li>Every change is a <b>protocol</b> with a per-group sequence number; protocols run one at a
 * time, in one order that every member sees identically, with no gaps.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Problems the local gateway can see are thrown at once as {@link org.edgeha.gs.api.GsException}
 * carrying a {@link org.edgeha.gs.api.ReturnCode}. Problems found after a request left the gateway
 * arrive as a {@link org.edgeha.gs.api.DelayedErrorNotification}. No accepted request is ever dropped
 * silently: it ends approved, rejected, or with a delayed error.
 *
 * <h2>Threads</h2>
 * Callbacks of one client never run concurrently and arrive in protocol order, either on a thread the
 * engine owns ({@link org.edgeha.gs.api.DispatchMode#ENGINE_THREAD}) or inside
 * {@link org.edgeha.gs.api.GsClient#dispatch} ({@link org.edgeha.gs.api.DispatchMode#EXPLICIT}); never
 * on a transport (MQTT) thread. Calls may be made from any thread, including from inside a callback.
 */
@Export
@Version("1.2.0")
package org.edgeha.gs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
