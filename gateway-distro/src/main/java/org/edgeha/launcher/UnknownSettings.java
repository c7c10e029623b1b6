package org.edgeha.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.edgeha.gateway.api.GatewaySettings;

/**
 * Finds {@code edgeha.*} settings that no part of the gateway reads. A typo such as {@code --edgeha.nodee=3} used to
 * start the gateway as node 1 on the default broker, where it joined whatever domain ran there (issue 14): a setting
 * that means nothing is refused, with the known setting it is closest to.
 */
final class UnknownSettings {

    /** Every setting an operator may give; the gateway's own markers (set by the runtime) are not settings. */
    static final List<String> KNOWN = List.of(GatewaySettings.HOME, GatewaySettings.NODE, GatewaySettings.DOMAIN,
            GatewaySettings.BROKER, GatewaySettings.CONSOLE);

    private static final String PREFIX = "edgeha.";

    private UnknownSettings() {
    }

    /**
     * @param arguments the {@code --key=value} arguments
     * @param systemProperties the JVM's system properties ({@code -Dkey=value}), before the arguments are applied
     * @return one line naming the first unknown setting and the nearest known one, or {@code null} when all are known
     */
    static String problem(Map<String, String> arguments, Properties systemProperties) {
        List<String> unknown = new ArrayList<>();
        for (String key : arguments.keySet()) {
            if (isUnknown(key)) {
                unknown.add("--" + key);
            }
        }
        for (String key : systemProperties.stringPropertyNames()) {
            if (isUnknown(key) && !arguments.containsKey(key)) {
                unknown.add("-D" + key);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        unknown.sort(null);
        String first = unknown.get(0);
        String key = first.substring(2); // after "--" or "-D"
        return "unknown setting " + first + " (did you mean " + nearest(key) + "?)"
                + (unknown.size() > 1 ? "; also unknown: " + String.join(", ", unknown.subList(1, unknown.size())) : "")
                + "; the settings are " + String.join(", ", KNOWN) + " (see --help)";
    }

    private static boolean isUnknown(String key) {
        return key.startsWith(PREFIX) && !KNOWN.contains(key);
    }

    /** @return the known setting with the smallest edit distance to {@code key} */
    static String nearest(String key) {
        String best = KNOWN.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : KNOWN) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
