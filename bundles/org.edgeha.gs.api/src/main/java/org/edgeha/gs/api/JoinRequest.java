package org.edgeha.gs.api;

import java.util.Objects;

/**
 * GSAPI {@code ha_gs_join_request_t}.
 *
 * @param group the group to join (created if absent); see {@link GsLimits#isValidGroupName}
 * @param instance the provider's instance number, unique per node in the group
 *     ({@code gs_provider_instance})
 * @param attributes the group attributes the provider expects (defines a new group)
 * @param localName a name for logs and operator views only, may be {@code ""}
 * @param callbacks the provider's callbacks (n-phase, approved, rejected, announcement, merge)
 */
public record JoinRequest(String group, int instance, GroupAttributes attributes, String localName,
        ProviderCallbacks callbacks) implements Request {

    /** Checks for {@code null}. */
    public JoinRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(callbacks, "callbacks");
    }

    /** @return a request with {@link GroupAttributes#DEFAULT} and no local name */
    public static JoinRequest of(String group, int instance, ProviderCallbacks callbacks) {
        return new JoinRequest(group, instance, GroupAttributes.DEFAULT, "", callbacks);
    }

    /** @return a copy with other attributes */
    public JoinRequest withAttributes(GroupAttributes a) {
        return new JoinRequest(group, instance, a, localName, callbacks);
    }

    /** @return a copy with a local name */
    public JoinRequest withLocalName(String name) {
        return new JoinRequest(group, instance, attributes, name, callbacks);
    }

    @Override
    public ProtocolType protocolType() {
        return ProtocolType.JOIN;
    }

    @Override
    public String toString() {
        return "JoinRequest[group=" + group + ", instance=" + instance + ", localName=" + localName
                + ", attributes=" + attributes + "]";
    }
}
