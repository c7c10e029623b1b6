package org.edgeha.features.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EdgeHA feature management",
        description = "Where features and their bundles come from on this gateway.")
@interface FeaturesConfig {

    String PID = "org.edgeha.features";

    @AttributeDefinition(name = "Repository folders",
            description = "Local repositories in Maven layout, searched in order. Empty: ${edgeha.home}/repository.")
    String[] repository() default {};
}
