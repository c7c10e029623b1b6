/**
 * The Group Services transport SPI: what the engine needs from a network, and no more than MQTT
 * gives. The MQTT bridge bundle implements {@link org.edgeha.gs.spi.GsTransport}; the engine bundle
 * ships an in-memory implementation for a single gateway and for tests.
 *
 * <h2>Guarantees a transport must give, and may not be assumed beyond</h2>
 * <ul>
 * <li>Messages from one publisher on one topic arrive in the order published. Nothing else is
 * ordered: not one publisher's topics among themselves, not different publishers.</li>
 * <li>A message may arrive twice (QoS 1 redelivery).</li>
 * <li>Messages published to or by a node while it is disconnected may be lost.</li>
 * <li>{@link org.edgeha.gs.spi.TransportListener#presence} reports which nodes are up, each with its
 * incarnation; a node that comes back within the will delay keeps its identity, one that does not
 * comes back with a new one.</li>
 * </ul>
 */
@Export
@Version("1.1.0")
package org.edgeha.gs.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
