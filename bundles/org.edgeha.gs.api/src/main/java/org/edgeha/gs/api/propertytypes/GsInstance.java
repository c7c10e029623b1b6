package org.edgeha.gs.api.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@link org.edgeha.gs.api.GsWhiteboard#INSTANCE} ({@code gs.instance}): a
 * {@link org.edgeha.gs.api.GroupProvider}'s instance number, unique per gateway in its group.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GsInstance {

    /** @return the instance number */
    int value();
}
