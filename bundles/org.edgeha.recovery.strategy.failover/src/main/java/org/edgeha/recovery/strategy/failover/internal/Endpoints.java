package org.edgeha.recovery.strategy.failover.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** Parses and normalizes the configured {@code host:port} endpoints. */
final class Endpoints {

    private Endpoints() {
    }

    /**
     * @param configured the {@code endpoints} property: each element one endpoint or several separated by
     *     commas (a {@code .cfg} file gives one string)
     * @param warn told about duplicates, which are dropped
     * @return the endpoints in order, normalized ({@code host:port}, host in lower case, IPv6 in brackets)
     * @throws IllegalArgumentException naming every malformed endpoint, or saying that there is none
     */
    static List<String> parse(final String[] configured, final Consumer<String> warn) {
        Set<String> endpoints = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String element : configured == null ? new String[0] : configured) {
            for (String raw : element.split(",")) {
                if (raw.isBlank()) {
                    continue;
                }
                try {
                    String endpoint = normalize(raw);
                    if (!endpoints.add(endpoint)) {
                        warn.accept("endpoint " + endpoint + " is listed twice; the second is ignored");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("endpoints: " + String.join("; ", problems));
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints is empty; give at least one host:port, in order of preference");
        }
        return List.copyOf(endpoints);
    }

    /**
     * @return {@code host:port} with the host in lower case
     * @throws IllegalArgumentException saying what is wrong with {@code raw}
     */
    static String normalize(final String raw) {
        String s = raw.trim();
        String host;
        String port;
        if (s.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
            throw new IllegalArgumentException("'" + s + "' is not host:port (no scheme, path or spaces)");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 2 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + s + "' is not [ipv6]:port");
            }
            host = s.substring(0, close + 1);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + s + "' has no port (expected host:port)");
            }
            if (colon == 0) {
                throw new IllegalArgumentException("'" + s + "' has no host (expected host:port)");
            }
            if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + s + "' has several ':' (write an IPv6 address as [addr]:port)");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("'" + s + "' has no valid port (1 to 65535)");
        }
        return host.toLowerCase(Locale.ROOT) + ":" + number;
    }

    /** @return {@code raw} normalized, or {@code null} when it is not a {@code host:port} */
    static String normalizeOrNull(final String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return normalize(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
