package org.edgeha.recovery.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.edgeha.recovery.api.RecoveryFunction;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * One whiteboard {@link RecoveryFunction} service, its selector checked once when it registers.
 * Immutable. Orders best first: highest {@code service.ranking}, then lowest {@code service.id}, as
 * read at registration (a change of properties is a remove and an add).
 */
final class WhiteboardEntry implements Comparable<WhiteboardEntry> {

    final ServiceReference<RecoveryFunction> reference;
    final RecoveryFunction function;
    final String description;
    /** Snapshots: the set's order must not change under it when a service's properties change. */
    private final int ranking;
    private final long serviceId;
    private final List<Pattern> namePatterns;
    private final Filter filter;

    private WhiteboardEntry(ServiceReference<RecoveryFunction> reference, RecoveryFunction function,
            List<Pattern> namePatterns, Filter filter, String description) {
        this.reference = reference;
        this.function = function;
        this.namePatterns = namePatterns;
        this.filter = filter;
        this.description = description;
        this.ranking = ranking(reference);
        this.serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    /**
     * @return the entry
     * @throws IllegalArgumentException saying what is wrong with the service's properties
     */
    static WhiteboardEntry of(ServiceReference<RecoveryFunction> reference, RecoveryFunction function) {
        List<Pattern> names = new ArrayList<>();
        Object rawNames = reference.getProperty(RecoveryFunction.CONNECTION_NAME);
        if (rawNames instanceof String) {
            addPattern(names, (String) rawNames);
        } else if (rawNames instanceof String[]) {
            for (String name : (String[]) rawNames) {
                addPattern(names, name);
            }
        } else if (rawNames instanceof Iterable<?>) {
            for (Object name : (Iterable<?>) rawNames) {
                addPattern(names, String.valueOf(name));
            }
        } else if (rawNames != null) {
            throw new IllegalArgumentException(RecoveryFunction.CONNECTION_NAME + " must be a String or String[], not "
                    + rawNames.getClass().getName());
        }
        Filter filter = null;
        Object rawFilter = reference.getProperty(RecoveryFunction.CONNECTION_FILTER);
        if (rawFilter != null && !(rawFilter instanceof String)) {
            throw new IllegalArgumentException(RecoveryFunction.CONNECTION_FILTER + " must be a String");
        }
        if (rawFilter != null && !((String) rawFilter).isBlank()) {
            try {
                filter = FrameworkUtil.createFilter((String) rawFilter);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(RecoveryFunction.CONNECTION_FILTER + " '" + rawFilter
                        + "' is not a valid LDAP filter: " + e.getMessage());
            }
        }
        if (names.isEmpty() && filter == null) {
            throw new IllegalArgumentException("it selects no connection: set " + RecoveryFunction.CONNECTION_NAME
                    + " (\"*\" for every connection) or " + RecoveryFunction.CONNECTION_FILTER);
        }
        return new WhiteboardEntry(reference, function, List.copyOf(names), filter, describe(reference));
    }

    private static void addPattern(List<Pattern> patterns, String glob) {
        if (glob != null && !glob.isBlank()) {
            patterns.add(Pattern.compile(globToRegex(glob.trim())));
        }
    }

    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    /** @return "whiteboard STRATEGY (bundle BSN, service.id N)" */
    static String describe(ServiceReference<?> reference) {
        Object strategy = reference.getProperty(RecoveryFunction.STRATEGY);
        String name = strategy instanceof String && !((String) strategy).isBlank()
                ? (String) strategy
                : "service " + reference.getProperty(Constants.SERVICE_ID);
        return "whiteboard " + name + " (bundle " + reference.getBundle().getSymbolicName() + ", service.id "
                + reference.getProperty(Constants.SERVICE_ID) + ", ranking " + ranking(reference) + ")";
    }

    private static int ranking(ServiceReference<?> reference) {
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        return ranking instanceof Integer ? (Integer) ranking : 0;
    }

    boolean matches(String connectionName, Map<String, Object> connectionProperties) {
        boolean nameOk = namePatterns.isEmpty() || namePatterns.stream().anyMatch(p -> p.matcher(connectionName).matches());
        return nameOk && (filter == null || filter.matches(connectionProperties));
    }

    @Override
    public int compareTo(WhiteboardEntry other) {
        // Best first: higher ranking, then the older service (lower id), as ServiceReference orders them.
        if (ranking != other.ranking) {
            return Integer.compare(other.ranking, ranking);
        }
        return Long.compare(serviceId, other.serviceId);
    }
}
