package org.edgeha.gs.api.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@link org.edgeha.gs.api.GsWhiteboard#CLIENT_NAME} ({@code gs.client.name}): the clients a
 * {@link org.edgeha.gs.api.DelayedErrorCallback} or {@link org.edgeha.gs.api.ResponsivenessCallback}
 * service serves.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GsClientName {

    /** @return the client name(s) */
    String[] value();
}
