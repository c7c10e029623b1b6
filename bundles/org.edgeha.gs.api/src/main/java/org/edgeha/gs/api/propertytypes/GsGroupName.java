package org.edgeha.gs.api.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@link org.edgeha.gs.api.GsWhiteboard#GROUP_NAME} ({@code gs.group.name}) on a component: the
 * group a {@link org.edgeha.gs.api.GroupProvider} joins, or the groups a
 * {@link org.edgeha.gs.api.SubscriptionCallback} watches.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GsGroupName {

    /** @return the group name(s) */
    String[] value();
}
