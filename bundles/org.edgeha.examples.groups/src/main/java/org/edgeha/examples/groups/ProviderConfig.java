package org.edgeha.examples.groups;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype of an example provider (factory PID {@value ExampleProviderComponent#FACTORY_PID}), for
 * {@code config:}/{@code cm:} commands and configuration tools. The component reads its properties itself
 * ({@link ProviderSettings#parse}), so that a bad value is reported by name instead of failing in DS's
 * type conversion.
 */
@ObjectClassDefinition(name = "EdgeHA example: group provider",
        description = "Joins a group on this gateway with the default group attributes, votes on every n-phase "
                + "protocol by a rule, and logs every notification it receives at INFO.")
@interface ProviderConfig {

    @AttributeDefinition(name = "Group",
            description = "The group to join: 1 to 128 letters, digits, '.', '_' or '-'")
    String group();

    @AttributeDefinition(name = "Instance", min = "0",
            description = "Instance number, unique on this gateway in the group")
    int instance();

    @AttributeDefinition(name = "Vote rule", options = {
            @Option(value = VoteRule.APPROVE_ALL, label = "Approve every phase"),
            @Option(value = VoteRule.REJECT_ALL, label = "Reject every phase"),
            @Option(value = VoteRule.STATE_PATTERN, label = "Approve a proposed state value matching state.pattern")
    })
    String vote_rule() default VoteRule.APPROVE_ALL;

    @AttributeDefinition(name = "State pattern", required = false,
            description = "With vote.rule=state-pattern: a Java regular expression the whole proposed state value "
                    + "(as UTF-8 text) must match to be approved, for example fill.*|idle")
    String state_pattern() default "";
}
