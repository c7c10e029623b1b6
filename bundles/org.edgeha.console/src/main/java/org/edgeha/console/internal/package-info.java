/** Private: upkeep of the Gogo console. */
package org.edgeha.console.internal;
