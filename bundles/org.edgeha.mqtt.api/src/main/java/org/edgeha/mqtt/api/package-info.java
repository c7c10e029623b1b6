/**
 * The gateway's managed MQTT 5 connections, for other bundles: an {@link org.edgeha.mqtt.api.MqttBridge}
 * service per configured connection publishes with store-and-forward (accepted messages survive broker
 * outages and gateway restarts and are delivered in order) or directly (fast, fails when offline), and
 * delivers subscribed messages on its own threads.
 */
@Export
@Version("1.4.0")
package org.edgeha.mqtt.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
