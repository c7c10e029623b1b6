/**
 * The gateway runtime as other bundles see it: who this gateway is ({@link org.edgeha.gateway.api.GatewaySettings})
 * and whether it has finished starting ({@link org.edgeha.gateway.api.Gateway}).
 */
@Export
@Version("1.1.0")
package org.edgeha.gateway.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
