package org.edgeha.examples.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.GsWhiteboard;

/**
 * One example provider's configuration ({@link ProviderConfig}), checked: every value here is usable.
 *
 * @param group the group to join
 * @param instance the instance number, unique on this gateway in the group
 * @param rule how the provider votes
 */
record ProviderSettings(String group, int instance, VoteRule rule) {

    static final String GROUP = "group";
    static final String INSTANCE = "instance";
    static final String VOTE_RULE = "vote.rule";
    static final String STATE_PATTERN = "state.pattern";

    /**
     * Reads and checks a configuration as ConfigAdmin hands it over: values from a {@code .cfg} file are
     * strings, from a {@code .config} or {@code .json} file they may be typed.
     *
     * @param config the component's properties
     * @param warn told about values that are ignored (one line each)
     * @return the settings
     * @throws IllegalArgumentException when a value is unusable; the message names every such property
     */
    static ProviderSettings parse(Map<String, ?> config, Consumer<String> warn) {
        List<String> problems = new ArrayList<>();

        String group = single(config, GROUP, problems);
        if (group == null || group.isEmpty()) {
            problems.add(GROUP + " is required (the group to join)");
        } else if (!GsLimits.isValidGroupName(group)) {
            problems.add(GROUP + " '" + group + "' is not a valid group name (1 to " + GsLimits.MAX_GROUP_NAME_LENGTH
                    + " letters, digits, '.', '_' or '-')");
        }

        int instance = -1;
        String instanceText = single(config, INSTANCE, problems);
        if (instanceText == null || instanceText.isEmpty()) {
            problems.add(INSTANCE + " is required (an integer >= 0, unique on this gateway in the group)");
        } else {
            try {
                instance = Integer.parseInt(instanceText);
                if (instance < 0) {
                    problems.add(INSTANCE + "=" + instance + " must be >= 0");
                }
            } catch (NumberFormatException e) {
                problems.add(INSTANCE + " '" + instanceText + "' is not an integer");
            }
        }

        String ruleText = single(config, VOTE_RULE, problems);
        String ruleName = ruleText == null || ruleText.isEmpty() ? VoteRule.APPROVE_ALL : ruleText.toLowerCase(Locale.ROOT);
        String patternText = single(config, STATE_PATTERN, problems);
        boolean hasPattern = patternText != null && !patternText.isEmpty();
        VoteRule rule = null;
        switch (ruleName) {
            case VoteRule.APPROVE_ALL:
                rule = VoteRule.approveAll();
                break;
            case VoteRule.REJECT_ALL:
                rule = VoteRule.rejectAll();
                break;
            case VoteRule.STATE_PATTERN:
                if (!hasPattern) {
                    problems.add(STATE_PATTERN + " is required with " + VOTE_RULE + "=" + VoteRule.STATE_PATTERN
                            + " (a regular expression the whole proposed state must match)");
                } else {
                    try {
                        rule = VoteRule.statePattern(Pattern.compile(patternText));
                    } catch (PatternSyntaxException e) {
                        problems.add(STATE_PATTERN + " '" + patternText + "' is not a valid regular expression ("
                                + e.getDescription() + " near index " + e.getIndex() + ")");
                    }
                }
                break;
            default:
                problems.add(VOTE_RULE + " '" + ruleText + "' is not one of " + String.join(", ", VoteRule.NAMES));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (hasPattern && rule != null && !VoteRule.STATE_PATTERN.equals(rule.name())) {
            warn.accept(STATE_PATTERN + " is ignored: " + VOTE_RULE + " is " + rule.name() + ", not "
                    + VoteRule.STATE_PATTERN);
        }
        return new ProviderSettings(group, instance, rule);
    }

    /** A value that must be one string; {@code null} when absent. Numbers and other types are read as text. */
    private static String single(Map<String, ?> config, String key, List<String> problems) {
        Object v = config.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Object[] || v instanceof Collection<?>) {
            problems.add(key + " must be a single value, not a list");
            return null;
        }
        return String.valueOf(v).trim();
    }

    /**
     * @return the whiteboard properties the provider service is registered with: {@code gs.group.name},
     *     {@code gs.instance} (an Integer) and {@code gs.local.name} ({@code example <rule>})
     */
    Hashtable<String, Object> serviceProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(GsWhiteboard.GROUP_NAME, group);
        p.put(GsWhiteboard.INSTANCE, instance);
        p.put(GsWhiteboard.LOCAL_NAME, "example " + rule.name());
        return p;
    }

    /** @return {@code line1 (instance 1)}, how the log names this provider */
    String label() {
        return group + " (instance " + instance + ")";
    }
}
