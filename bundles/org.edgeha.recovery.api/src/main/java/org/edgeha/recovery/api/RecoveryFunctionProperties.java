package org.edgeha.recovery.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets the whiteboard properties of a {@link RecoveryFunction} DS component:
 *
 * <pre>{@code
 * @Component
 * @RecoveryFunctionProperties(connection_name = "plc-*", strategy = "my-reconnect")
 * public class MyStrategy implements RecoveryFunction { ... }
 * }</pre>
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RecoveryFunctionProperties {

    /** Maps {@code connection_name} to {@code edgeha.recovery.connection.name} and so on. */
    String PREFIX_ = "edgeha.recovery.";

    /** @return glob patterns over connection names: {@link RecoveryFunction#CONNECTION_NAME} */
    String[] connection_name() default {};

    /** @return an LDAP filter over connection properties: {@link RecoveryFunction#CONNECTION_FILTER} */
    String connection_filter() default "";

    /** @return a short name for operators: {@link RecoveryFunction#STRATEGY} */
    String strategy() default "";
}
