package org.edgeha.gs.api.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@link org.edgeha.gs.api.GsWhiteboard#LOCAL_NAME} ({@code gs.local.name}): a
 * {@link org.edgeha.gs.api.GroupProvider}'s name for logs and operator views.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GsLocalName {

    /** @return the local name */
    String value();
}
