package org.edgeha.features.reader;

import java.util.Map;

/**
 * One configuration of a feature, with its {@code ${name}} placeholders substituted.
 *
 * @param pid the key in the feature: a PID, or {@code factoryPid~name}
 * @param factoryPid the factory PID, or {@code null} for a singleton configuration
 * @param name the factory configuration's name, or {@code null}
 * @param values typed values (Integer, Long, String[], ...), as the Feature Service read them
 */
public record ConfigSpec(String pid, String factoryPid, String name, Map<String, Object> values) {
}
