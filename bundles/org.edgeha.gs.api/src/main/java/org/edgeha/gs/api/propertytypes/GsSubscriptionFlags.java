package org.edgeha.gs.api.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.edgeha.gs.api.SubscriptionFlag;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@link org.edgeha.gs.api.GsWhiteboard#SUBSCRIPTION_FLAGS} ({@code gs.subscription.flags}) on a
 * {@link org.edgeha.gs.api.SubscriptionCallback} service.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GsSubscriptionFlags {

    /** @return the flags */
    SubscriptionFlag[] value();
}
