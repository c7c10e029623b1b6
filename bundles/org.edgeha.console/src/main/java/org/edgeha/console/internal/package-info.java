/** Private: the interactive Gogo console, started once the gateway is ready, and its upkeep. */
package org.edgeha.console.internal;
