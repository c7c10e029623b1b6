package org.edgeha.recovery.strategy.support;

import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Consumer;

import org.edgeha.recovery.api.RecoveryFunction;
import org.osgi.framework.Constants;

/**
 * The service properties of a strategy registered by its component: the component's properties, as DS
 * would register them (private {@code .}-prefixed ones left out), with two values a {@code .cfg} file gives
 * as plain strings made usable: {@code service.ranking} as an Integer (the framework counts any other type
 * as 0) and comma-separated connection name patterns as a String[].
 */
public final class ServiceProperties {

    private ServiceProperties() {
    }

    public static Hashtable<String, Object> of(final Map<String, Object> componentProperties,
            final Consumer<String> warn) {
        Hashtable<String, Object> properties = new Hashtable<>();
        componentProperties.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                properties.put(key, value);
            }
        });
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        if (ranking != null && !(ranking instanceof Integer)) {
            try {
                properties.put(Constants.SERVICE_RANKING, Integer.valueOf(ranking.toString().trim()));
            } catch (NumberFormatException e) {
                warn.accept("service.ranking=" + ranking + " is not an integer; using 0");
                properties.put(Constants.SERVICE_RANKING, 0);
            }
        }
        Object names = properties.get(RecoveryFunction.CONNECTION_NAME);
        if (names instanceof String text) {
            properties.put(RecoveryFunction.CONNECTION_NAME, patterns(text));
        } else if (names instanceof String[] array) {
            properties.put(RecoveryFunction.CONNECTION_NAME, patterns(String.join(",", array)));
        } else if (names instanceof Collection<?> collection) {
            properties.put(RecoveryFunction.CONNECTION_NAME,
                    patterns(String.join(",", collection.stream().map(String::valueOf).toList())));
        }
        return properties;
    }

    /** @return the connection name patterns of these service properties; empty when none */
    public static String[] names(final Map<String, Object> serviceProperties) {
        Object names = serviceProperties.get(RecoveryFunction.CONNECTION_NAME);
        return names instanceof String[] array ? array : new String[0];
    }

    /** @return the comma-separated patterns, trimmed, blanks left out */
    public static String[] patterns(final String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
