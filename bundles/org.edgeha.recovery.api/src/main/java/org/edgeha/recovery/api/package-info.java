/**
 * HA-aware connections, after the QNX client recovery library ({@code ha_attach()} and its family).
 *
 * <p>A <em>connection</em> is anything an operation can fail on because the link broke: a TCP socket to
 * a PLC, a file, an MQTT client session. Each has an int connection id (coid), unique in the runtime,
 * and a name. {@link org.edgeha.recovery.api.HaConnections} makes a connection HA-aware by binding a
 * {@link org.edgeha.recovery.api.RecoveryFunction} to it; an operation run through
 * {@link org.edgeha.recovery.api.HaConnections#invoke} that fails because the connection broke runs the
 * recovery function and, if it returns the same coid, re-issues the operation, so that the caller sees
 * only the retry's result.
 *
 * <p>Besides the QNX-shaped int calls, {@link org.edgeha.recovery.api.HaConnection} is a typed handle on one
 * coid (since 1.1): it carries the resource type and closes with try-with-resources.
 *
 * <p>Recovery functions are also OSGi whiteboard services: a {@code RecoveryFunction} registered with
 * {@link org.edgeha.recovery.api.RecoveryFunction#CONNECTION_NAME} or
 * {@link org.edgeha.recovery.api.RecoveryFunction#CONNECTION_FILTER} recovers every matching connection
 * that has no explicitly attached function; the best ranked one wins and a better one hot-swaps it.
 */
@Export
@Version("1.1.0")
package org.edgeha.recovery.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
